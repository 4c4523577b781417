import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFound } from "@/lib/errors/domain-error";
import { fingerprint, fingerprintsForLookup, seal } from "@/lib/crypto/seal";
import { providerKeyAssociatedData } from "@/lib/crypto/encrypted-columns";
import { lastFour, shortFingerprint } from "@/lib/keys/format";

// Shared steps of the key mutations, always inside the caller's transaction.

type Tx = Prisma.TransactionClient;

/**
 * Serializes key changes per provider: concurrent rotations queue on the provider row, so each
 * sees the previous one's primary. The partial unique index (one ACTIVE primary per provider)
 * is the backstop. Also the existence check: an unknown provider is a NOT_FOUND.
 */
export async function lockProvider(
  tx: Tx,
  providerId: string,
): Promise<{ id: string; name: string; kind: string; baseUrl: string }> {
  const rows = await tx.$queryRaw<{ id: string; name: string; kind: string; base_url: string }[]>(Prisma.sql`
    SELECT id::text, name, kind, base_url FROM providers WHERE id = ${providerId}::uuid FOR UPDATE`);
  const row = rows[0];
  if (!row) throw notFound("Provider");
  return { id: row.id, name: row.name, kind: row.kind, baseUrl: row.base_url };
}

/**
 * Refuses a key already stored anywhere (matched by fingerprint under each master key). The
 * provider lock does not cover two providers adding the same key at once, so the check holds a
 * transaction-scoped advisory lock on the key's fingerprint: the second adder waits, then sees
 * the first one's row.
 */
export async function assertNotDuplicate(tx: Tx, apiKey: string): Promise<void> {
  const candidates = fingerprintsForLookup(apiKey);
  for (const candidate of [...candidates].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1))) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`provider_keys.fingerprint:${candidate.fingerprint}`}, 0))`;
  }
  const existing = await tx.providerKey.findFirst({
    where: {
      OR: candidates.map((candidate) => ({ masterKeyId: candidate.keyId, fingerprint: candidate.fingerprint })),
    },
    select: { label: true, status: true, provider: { select: { name: true } } },
  });
  if (existing) {
    const where = `${existing.provider.name}${existing.status === "ACTIVE" ? "" : `, ${existing.status.toLowerCase()}`}`;
    throw conflict(`This key is already stored as "${existing.label}" (${where}).`, {
      apiKey: [`This key is already stored as "${existing.label}".`],
    });
  }
}

export type NewKey = {
  providerId: string;
  label: string;
  apiKey: string;
  expiresAt: Date | null;
  isPrimary: boolean;
  createdById: string;
  /** The provider's base URL as locked by the caller: the key is bound to its origin. */
  baseUrl: string;
  lastTest?: { ok: boolean; message: string; detail?: string };
};

/** Seals and inserts a key; returns only metadata (id and the short fingerprint for audit). */
export async function insertKey(tx: Tx, key: NewKey): Promise<{ id: string; fingerprint: string }> {
  const id = randomUUID();
  const sealed = seal(key.apiKey, providerKeyAssociatedData(id, key.providerId));
  const print = fingerprint(key.apiKey, sealed.keyId);
  await tx.providerKey.create({
    data: {
      id,
      providerId: key.providerId,
      label: key.label,
      ciphertext: sealed.envelope,
      masterKeyId: sealed.keyId,
      last4: lastFour(key.apiKey),
      fingerprint: print,
      status: "ACTIVE",
      isPrimary: key.isPrimary,
      expiresAt: key.expiresAt,
      createdById: key.createdById,
      boundOrigin: new URL(key.baseUrl).origin,
      ...(key.lastTest
        ? {
            lastTestAt: new Date(),
            lastTestOk: key.lastTest.ok,
            lastTestMessage: key.lastTest.message,
            lastTestDetail: key.lastTest.detail ?? null,
          }
        : {}),
    },
    select: { id: true },
  });
  return { id, fingerprint: shortFingerprint(print) };
}

export async function clearPrimary(tx: Tx, providerId: string): Promise<void> {
  await tx.providerKey.updateMany({ where: { providerId, isPrimary: true }, data: { isPrimary: false } });
}
