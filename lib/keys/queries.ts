import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { canOpen } from "@/lib/crypto/seal";
import { providerKeyAssociatedData } from "@/lib/crypto/encrypted-columns";
import { expireKeysIfDue } from "@/lib/keys/expire-keys";
import { shortFingerprint } from "@/lib/keys/format";
import type { RoleName } from "@/lib/auth/roles";

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
  lastTestDetail: true,
  boundOrigin: true,
  outOfRotationAt: true,
  outOfRotationReason: true,
} satisfies Prisma.ProviderKeySelect;

type KeyListRow = Prisma.ProviderKeyGetPayload<{ select: typeof keyListSelect }>;

export type ProviderKeyDto = Omit<KeyListRow, "fingerprint" | "createdById" | "lastTestDetail"> & {
  fingerprint: string;
  createdByEmail: string | null;
  undecryptable: boolean;
  /** The provider's words on the last failed test (redacted excerpt): null unless the viewer is ADMIN. */
  lastTestDetail: string | null;
  /** False when the provider now points at another host than the key was added for: the key is not sent. */
  boundToProvider: boolean;
};

const probeSelect = { id: true, providerId: true, ciphertext: true } satisfies Prisma.ProviderKeySelect;

async function undecryptableIds(keyIds: string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await db.providerKey.findMany({ where: { id: { in: keyIds } }, select: probeSelect });
  return new Set(
    rows
      .filter((row) => !canOpen(row.ciphertext, providerKeyAssociatedData(row.id, row.providerId)))
      .map((row) => row.id),
  );
}

async function toDtos(
  rows: KeyListRow[],
  providerOrigin: string | null,
  withDetail: boolean,
): Promise<ProviderKeyDto[]> {
  const creatorIds = [...new Set(rows.map((row) => row.createdById).filter((id): id is string => Boolean(id)))];
  const creators = creatorIds.length
    ? await db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } })
    : [];
  const emailById = new Map(creators.map((user) => [user.id, user.email]));
  const broken = await undecryptableIds(
    rows.filter((row) => row.status === "ACTIVE" || row.status === "RETIRING").map((row) => row.id),
  );
  return rows.map(({ fingerprint, createdById, lastTestDetail, ...row }) => ({
    ...row,
    lastTestDetail: withDetail ? lastTestDetail : null,
    boundToProvider:
      row.boundOrigin !== null && providerOrigin !== null && originOrNull(row.boundOrigin) === providerOrigin,
    fingerprint: shortFingerprint(fingerprint),
    createdByEmail: createdById ? (emailById.get(createdById) ?? null) : null,
    undecryptable: broken.has(row.id),
  }));
}

function originOrNull(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * A provider's keys, usable ones first; applies due expiries first so statuses are current. The
 * upstream excerpt of the last test is included only for an ADMIN viewer.
 */
export async function listProviderKeys(providerId: string, viewerRole?: RoleName | null): Promise<ProviderKeyDto[]> {
  await expireKeysIfDue();
  const provider = await db.provider.findUnique({ where: { id: providerId }, select: { baseUrl: true } });
  const rows = await db.providerKey.findMany({
    where: { providerId },
    select: keyListSelect,
    orderBy: [{ isPrimary: "desc" }, { status: "asc" }, { createdAt: "desc" }],
  });
  return toDtos(rows, provider ? originOrNull(provider.baseUrl) : null, viewerRole === "ADMIN");
}

export type KeyAttention = {
  id: string;
  label: string;
  providerId: string;
  providerName: string;
  status: ProviderKeyDto["status"];
  expiresAt: Date | null;
};

const EXPIRY_WARNING_DAYS = 14;

/**
 * Keys that expired, are retiring, or expire within two weeks: the overview and provider list flag
 * them. Plain SQL: this and the badges below run on every overview and provider-list view.
 */
export async function keysNeedingAttention(): Promise<KeyAttention[]> {
  await expireKeysIfDue();
  const now = Date.now();
  const { rows } = await pool.query<{
    id: string;
    label: string;
    provider_id: string;
    status: KeyAttention["status"];
    expires_at: Date | null;
    provider_name: string;
  }>(
    `SELECT k.id::text, k.label, k.provider_id::text, k.status::text AS status, k.expires_at, p.name AS provider_name
       FROM provider_keys k JOIN providers p ON p.id = k.provider_id
      WHERE (k.status = 'EXPIRED' AND k.expires_at >= $1 AND p.archived_at IS NULL)
         OR k.status = 'RETIRING'
         OR (k.status = 'ACTIVE' AND k.expires_at <= $2)
      ORDER BY k.expires_at ASC
      LIMIT 50`,
    // Expired keys stay flagged for a month, then the list stops nagging about them.
    [new Date(now - 30 * 24 * 60 * 60 * 1000), new Date(now + EXPIRY_WARNING_DAYS * 24 * 60 * 60 * 1000)],
  );
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    providerId: row.provider_id,
    status: row.status,
    expiresAt: row.expires_at,
    providerName: row.provider_name,
  }));
}

/** Per provider: whether it has a usable primary key and how many keys expired (provider list badges). */
export async function keyStatusByProvider(): Promise<
  Map<string, { hasActivePrimary: boolean; expired: number; active: number }>
> {
  await expireKeysIfDue();
  const { rows } = await pool.query<{
    provider_id: string;
    active: number;
    expired: number;
    has_active_primary: boolean;
  }>(
    `SELECT provider_id::text,
            (count(*) FILTER (WHERE status = 'ACTIVE'))::int AS active,
            (count(*) FILTER (WHERE status = 'EXPIRED'))::int AS expired,
            bool_or(status = 'ACTIVE' AND is_primary) AS has_active_primary
       FROM provider_keys GROUP BY provider_id`,
  );
  return new Map(
    rows.map((row) => [
      row.provider_id,
      { hasActivePrimary: row.has_active_primary, expired: row.expired, active: row.active },
    ]),
  );
}

export type OutOfRotationByProvider = { providerId: string; providerName: string; keys: number };

/**
 * Usable keys the gateway took out of its rotation (401 or quota exhausted), per provider: the
 * overview counts them so a silently shrinking pool of keys is seen.
 */
export async function keysOutOfRotation(): Promise<OutOfRotationByProvider[]> {
  const { rows } = await pool.query<{ provider_id: string; provider_name: string; keys: number }>(
    `SELECT k.provider_id::text, p.name AS provider_name, count(*)::int AS keys
       FROM provider_keys k JOIN providers p ON p.id = k.provider_id
      WHERE k.out_of_rotation_at IS NOT NULL AND k.status IN ('ACTIVE', 'RETIRING') AND p.archived_at IS NULL
      GROUP BY 1, 2
      ORDER BY 2`,
  );
  return rows.map((row) => ({ providerId: row.provider_id, providerName: row.provider_name, keys: row.keys }));
}
