import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import { open, UndecryptableError } from "@/lib/crypto/seal";
import { providerKeyAssociatedData } from "@/lib/crypto/encrypted-columns";
import { shortFingerprint } from "@/lib/keys/format";

export type KeyTarget = { providerId: string } | { keyId: string };
export type UsedKey = { keyId: string; providerId: string };

type Row = { id: string; provider_id: string; ciphertext: string; fingerprint: string };

// One statement picks a usable key (not revoked, not expired, retiring only until retire_at),
// stamps last_used_at and returns its ciphertext: a revocation committed before this statement
// starts is always seen, so a revoked key is never handed to a call that starts afterwards.
function claimKey(target: KeyTarget) {
  if ("keyId" in target) {
    return db.$queryRaw<Row[]>(Prisma.sql`
      UPDATE provider_keys SET last_used_at = now()
       WHERE id = ${target.keyId}::uuid AND status IN ('ACTIVE', 'RETIRING')
         AND (expires_at IS NULL OR expires_at > now()) AND (status = 'ACTIVE' OR retire_at > now())
       RETURNING id::text, provider_id::text, ciphertext, fingerprint`);
  }
  // The primary when there is one, otherwise the newest active key.
  return db.$queryRaw<Row[]>(Prisma.sql`
    UPDATE provider_keys SET last_used_at = now()
     WHERE id = (SELECT id FROM provider_keys
                  WHERE provider_id = ${target.providerId}::uuid AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > now())
                  ORDER BY is_primary DESC, created_at DESC LIMIT 1)
       AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > now())
     RETURNING id::text, provider_id::text, ciphertext, fingerprint`);
}

/**
 * Runs `fn` with a provider key's plaintext. The plaintext exists only inside `fn`; callers must
 * not return or store it. Throws UNAVAILABLE when no usable key exists and UndecryptableError
 * (after an audit event) when the stored key does not open.
 */
export async function withDecryptedKey<T>(target: KeyTarget, fn: (apiKey: string, key: UsedKey) => Promise<T>): Promise<T> {
  const row = (await claimKey(target))[0];
  if (!row) throw new DomainError("UNAVAILABLE", "This provider has no usable key (active and not expired).");
  let apiKey: string;
  try {
    apiKey = open(row.ciphertext, providerKeyAssociatedData(row.id, row.provider_id));
  } catch (error) {
    if (error instanceof UndecryptableError) {
      await writeAudit({ actor: null, action: "key.undecryptable", targetType: "provider_key", targetId: row.id,
        details: { providerId: row.provider_id, fingerprint: shortFingerprint(row.fingerprint), reason: error.reason, masterKeyId: error.keyId } });
    }
    throw error;
  }
  return fn(apiKey, { keyId: row.id, providerId: row.provider_id });
}
