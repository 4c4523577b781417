import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import { open, UndecryptableError } from "@/lib/crypto/seal";
import { providerKeyAssociatedData } from "@/lib/crypto/encrypted-columns";
import { shortFingerprint } from "@/lib/keys/format";

export type KeyTarget = { providerId: string } | { keyId: string };
export type UsedKey = { keyId: string; providerId: string; origin: string };

type Row = {
  id: string;
  provider_id: string;
  ciphertext: string;
  fingerprint: string;
  bound_origin: string | null;
  base_url: string;
};

/** The key was added for another host than the one it would now be sent to. */
export class KeyOriginMismatchError extends DomainError {
  constructor(
    readonly boundOrigin: string | null,
    readonly destination: string | null,
  ) {
    super(
      "CONFLICT",
      "This key was added for another host than the provider's base URL now points at, so it is not sent there. Enter the key again for the new host, or rebind it (admins, with their password).",
    );
  }
}

function sameOrigin(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

// One statement picks a usable key (not revoked, not expired, retiring only until retire_at),
// stamps last_used_at and returns its ciphertext: a revocation committed before this statement
// starts is always seen, so a revoked key is never handed to a call that starts afterwards.
function claimKey(target: KeyTarget) {
  if ("keyId" in target) {
    return db.$queryRaw<Row[]>(Prisma.sql`
      UPDATE provider_keys SET last_used_at = now()
       WHERE id = ${target.keyId}::uuid AND status IN ('ACTIVE', 'RETIRING')
         AND (expires_at IS NULL OR expires_at > now()) AND (status = 'ACTIVE' OR retire_at > now())
       RETURNING id::text, provider_id::text, ciphertext, fingerprint, bound_origin,
                 (SELECT base_url FROM providers p WHERE p.id = provider_keys.provider_id) AS base_url`);
  }
  // The primary when there is one, otherwise the newest active key.
  return db.$queryRaw<Row[]>(Prisma.sql`
    UPDATE provider_keys SET last_used_at = now()
     WHERE id = (SELECT id FROM provider_keys
                  WHERE provider_id = ${target.providerId}::uuid AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > now())
                  ORDER BY is_primary DESC, created_at DESC LIMIT 1)
       AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > now())
     RETURNING id::text, provider_id::text, ciphertext, fingerprint, bound_origin,
               (SELECT base_url FROM providers p WHERE p.id = provider_keys.provider_id) AS base_url`);
}

/**
 * Runs `fn` with a provider key's plaintext. The plaintext exists only inside `fn`; callers must
 * not return or store it. `destination` is the base URL the key will be sent to (default: the
 * provider's current one); a key is only opened for the origin it was added for. Throws
 * UNAVAILABLE when no usable key exists, KeyOriginMismatchError when the destination is another
 * host, and UndecryptableError (after an audit event) when the stored key does not open.
 */
export async function withDecryptedKey<T>(
  target: KeyTarget,
  fn: (apiKey: string, key: UsedKey) => Promise<T>,
  options: { destination?: string } = {},
): Promise<T> {
  const row = (await claimKey(target))[0];
  if (!row) throw new DomainError("UNAVAILABLE", "This provider has no usable key (active and not expired).");
  const destination = options.destination ?? row.base_url;
  // Both must agree: the URL the caller will call, and where the provider points at this moment.
  if (!sameOrigin(row.bound_origin, destination) || !sameOrigin(row.bound_origin, row.base_url)) {
    throw new KeyOriginMismatchError(row.bound_origin, destination);
  }
  let apiKey: string;
  try {
    apiKey = open(row.ciphertext, providerKeyAssociatedData(row.id, row.provider_id));
  } catch (error) {
    if (error instanceof UndecryptableError) {
      await writeAudit({
        actor: null,
        action: "key.undecryptable",
        targetType: "provider_key",
        targetId: row.id,
        details: {
          providerId: row.provider_id,
          fingerprint: shortFingerprint(row.fingerprint),
          reason: error.reason,
          masterKeyId: error.keyId,
        },
      });
    }
    throw error;
  }
  return fn(apiKey, { keyId: row.id, providerId: row.provider_id, origin: new URL(destination).origin });
}

// The gateway asks for a provider's key on every request. Claiming it with an UPDATE each time
// would make every request write the same row; instead the claimed row (ciphertext, never the
// plaintext) is kept for a second, last_used_at is stamped at most every ten seconds, and the key
// is opened per call, so the plaintext still lives only inside `fn`. A rotation reaches the
// gateway within the second; the old key keeps its grace period (RETIRING) meanwhile.
const CLAIM_TTL_MS = 1000;
const STAMP_EVERY_MS = 10_000;
type ClaimedRow = { row: Row | undefined; at: number };
const claimed = new Map<string, ClaimedRow | Promise<ClaimedRow>>();
const stamped = new Map<string, number>();

function readPrimary(providerId: string): Promise<Row[]> {
  return db.$queryRaw<Row[]>(Prisma.sql`
    SELECT k.id::text, k.provider_id::text, k.ciphertext, k.fingerprint, k.bound_origin, p.base_url
      FROM provider_keys k JOIN providers p ON p.id = k.provider_id
     WHERE k.provider_id = ${providerId}::uuid AND k.status = 'ACTIVE' AND (k.expires_at IS NULL OR k.expires_at > now())
     ORDER BY k.is_primary DESC, k.created_at DESC LIMIT 1`);
}

async function claimCached(providerId: string): Promise<Row | undefined> {
  const now = Date.now();
  const entry = claimed.get(providerId);
  if (entry && !(entry instanceof Promise) && now - entry.at < CLAIM_TTL_MS) return entry.row;
  if (entry instanceof Promise) return (await entry).row;
  const pending = readPrimary(providerId).then((rows) => ({ row: rows[0], at: Date.now() }));
  claimed.set(providerId, pending);
  try {
    const result = await pending;
    claimed.set(providerId, result);
    return result.row;
  } catch (error) {
    claimed.delete(providerId);
    throw error;
  }
}

function stampLastUsed(keyId: string): void {
  const now = Date.now();
  if (now - (stamped.get(keyId) ?? 0) < STAMP_EVERY_MS) return;
  stamped.set(keyId, now);
  void db
    .$executeRaw(Prisma.sql`UPDATE provider_keys SET last_used_at = now() WHERE id = ${keyId}::uuid`)
    .catch(() => stamped.delete(keyId));
}

/** withDecryptedKey for the gateway's hot path: the provider's primary key, read at most once a second. */
export async function withGatewayProviderKey<T>(
  providerId: string,
  fn: (apiKey: string, key: UsedKey) => Promise<T>,
): Promise<T> {
  const row = await claimCached(providerId);
  if (!row) throw new DomainError("UNAVAILABLE", "This provider has no usable key (active and not expired).");
  if (!sameOrigin(row.bound_origin, row.base_url)) throw new KeyOriginMismatchError(row.bound_origin, row.base_url);
  let apiKey: string;
  try {
    apiKey = open(row.ciphertext, providerKeyAssociatedData(row.id, row.provider_id));
  } catch (error) {
    claimed.delete(providerId);
    throw error;
  }
  stampLastUsed(row.id);
  return fn(apiKey, { keyId: row.id, providerId: row.provider_id, origin: new URL(row.base_url).origin });
}
