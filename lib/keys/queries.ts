import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { canOpen } from "@/lib/crypto/seal";
import { providerKeyAssociatedData } from "@/lib/crypto/encrypted-columns";
import { expireKeys } from "@/lib/keys/expire-keys";
import { shortFingerprint } from "@/lib/keys/format";

// What the console may show about a key. The ciphertext is not in this select; the
// decryptability probe below reads it separately and only keeps a boolean.
export const keyListSelect = {
  id: true,
  providerId: true,
  label: true,
  status: true,
  isPrimary: true,
  last4: true,
  fingerprint: true,
  expiresAt: true,
  retireAt: true,
  revokedAt: true,
  createdById: true,
  createdAt: true,
  lastUsedAt: true,
  lastTestAt: true,
  lastTestOk: true,
  lastTestMessage: true,
} satisfies Prisma.ProviderKeySelect;

type KeyListRow = Prisma.ProviderKeyGetPayload<{ select: typeof keyListSelect }>;

export type ProviderKeyDto = Omit<KeyListRow, "fingerprint" | "createdById"> & {
  fingerprint: string;
  createdByEmail: string | null;
  undecryptable: boolean;
};

const probeSelect = { id: true, providerId: true, ciphertext: true } satisfies Prisma.ProviderKeySelect;

async function undecryptableIds(keyIds: string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await db.providerKey.findMany({ where: { id: { in: keyIds } }, select: probeSelect });
  return new Set(rows.filter((row) => !canOpen(row.ciphertext, providerKeyAssociatedData(row.id, row.providerId))).map((row) => row.id));
}

async function toDtos(rows: KeyListRow[]): Promise<ProviderKeyDto[]> {
  const creatorIds = [...new Set(rows.map((row) => row.createdById).filter((id): id is string => Boolean(id)))];
  const creators = creatorIds.length ? await db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }) : [];
  const emailById = new Map(creators.map((user) => [user.id, user.email]));
  const broken = await undecryptableIds(rows.filter((row) => row.status === "ACTIVE" || row.status === "RETIRING").map((row) => row.id));
  return rows.map(({ fingerprint, createdById, ...row }) => ({
    ...row,
    fingerprint: shortFingerprint(fingerprint),
    createdByEmail: createdById ? (emailById.get(createdById) ?? null) : null,
    undecryptable: broken.has(row.id),
  }));
}

/** A provider's keys, usable ones first; applies due expiries first so statuses are current. */
export async function listProviderKeys(providerId: string): Promise<ProviderKeyDto[]> {
  await expireKeys();
  const rows = await db.providerKey.findMany({
    where: { providerId },
    select: keyListSelect,
    orderBy: [{ isPrimary: "desc" }, { status: "asc" }, { createdAt: "desc" }],
  });
  return toDtos(rows);
}

export type KeyAttention = { id: string; label: string; providerId: string; providerName: string; status: ProviderKeyDto["status"]; expiresAt: Date | null };

const EXPIRY_WARNING_DAYS = 14;

/** Keys that expired, are retiring, or expire within two weeks: the overview and provider list flag them. */
export async function keysNeedingAttention(): Promise<KeyAttention[]> {
  await expireKeys();
  const soon = new Date(Date.now() + EXPIRY_WARNING_DAYS * 24 * 60 * 60 * 1000);
  const rows = await db.providerKey.findMany({
    where: {
      OR: [
        // Expired keys stay flagged for a month, then the list stops nagging about them.
        { status: "EXPIRED", expiresAt: { gte: new Date(Date.now() - 30 * 24 * 60 * 60 * 1000) }, provider: { archivedAt: null } },
        { status: "RETIRING" },
        { status: "ACTIVE", expiresAt: { lte: soon } },
      ],
    },
    select: { id: true, label: true, providerId: true, status: true, expiresAt: true, provider: { select: { name: true } } },
    orderBy: [{ expiresAt: "asc" }],
    take: 50,
  });
  return rows.map(({ provider, ...row }) => ({ ...row, providerName: provider.name }));
}

/** Per provider: whether it has a usable primary key and how many keys expired (provider list badges). */
export async function keyStatusByProvider(): Promise<Map<string, { hasActivePrimary: boolean; expired: number; active: number }>> {
  await expireKeys();
  const groups = await db.providerKey.groupBy({ by: ["providerId", "status", "isPrimary"], _count: { _all: true } });
  const out = new Map<string, { hasActivePrimary: boolean; expired: number; active: number }>();
  for (const group of groups) {
    const entry = out.get(group.providerId) ?? { hasActivePrimary: false, expired: 0, active: 0 };
    if (group.status === "ACTIVE") entry.active += group._count._all;
    if (group.status === "ACTIVE" && group.isPrimary) entry.hasActivePrimary = true;
    if (group.status === "EXPIRED") entry.expired += group._count._all;
    out.set(group.providerId, entry);
  }
  return out;
}
