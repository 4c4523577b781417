import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import { writeNotificationEvent } from "@/lib/notifications/outbox";
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
// would make every request write the same row; instead the usable keys (ciphertext, never the
// plaintext) are read at most once a second, last_used_at is stamped at most every ten seconds,
// and a key is opened per call, so the plaintext still lives only inside `fn`. Requests take the
// provider's active keys in turn, spreading load across them; a key the provider refused (401, or
// its quota exhausted) leaves the rotation (takeKeyOutOfRotation) and is flagged on the provider
// page. A rotation reaches the gateway within the second; the old key keeps its grace meanwhile.
const CLAIM_TTL_MS = 1000;
const STAMP_EVERY_MS = 10_000;
type ClaimedRows = { rows: Row[]; at: number; next: number };
const claimed = new Map<string, ClaimedRows | Promise<ClaimedRows>>();
const stamped = new Map<string, number>();

function readUsable(providerId: string): Promise<Row[]> {
  return db.$queryRaw<Row[]>(Prisma.sql`
    SELECT k.id::text, k.provider_id::text, k.ciphertext, k.fingerprint, k.bound_origin, p.base_url
      FROM provider_keys k JOIN providers p ON p.id = k.provider_id
     WHERE k.provider_id = ${providerId}::uuid AND k.status = 'ACTIVE' AND (k.expires_at IS NULL OR k.expires_at > now())
       AND k.out_of_rotation_at IS NULL
     ORDER BY k.is_primary DESC, k.created_at DESC`);
}

async function usableKeys(providerId: string): Promise<ClaimedRows> {
  const now = Date.now();
  const entry = claimed.get(providerId);
  if (entry && !(entry instanceof Promise) && now - entry.at < CLAIM_TTL_MS) return entry;
  if (entry instanceof Promise) return entry;
  const pending = readUsable(providerId).then((rows) => ({ rows, at: Date.now(), next: 0 }));
  claimed.set(providerId, pending);
  try {
    const result = await pending;
    claimed.set(providerId, result);
    return result;
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

/**
 * withDecryptedKey for the gateway's hot path: the provider's next usable key in turn (read at
 * most once a second), skipping `exclude` (keys that already failed this request).
 */
export async function withGatewayProviderKey<T>(
  providerId: string,
  fn: (apiKey: string, key: UsedKey & { last4: string }) => Promise<T>,
  options: { exclude?: ReadonlySet<string> } = {},
): Promise<T> {
  const entry = await usableKeys(providerId);
  const now = Date.now();
  const candidates = entry.rows.filter((row) => !options.exclude?.has(row.id) && !((takenOut.get(row.id) ?? 0) > now));
  if (candidates.length === 0)
    throw new DomainError("UNAVAILABLE", "This provider has no usable key (active, not expired, in rotation).");
  const row = candidates[entry.next++ % candidates.length]!;
  const checked = checkedRow(row);
  if (checked.origin === null) throw new KeyOriginMismatchError(row.bound_origin, row.base_url);
  let apiKey: string;
  try {
    apiKey = open(row.ciphertext, checked.associatedData);
  } catch (error) {
    claimed.delete(providerId);
    throw error;
  }
  stampLastUsed(row.id);
  return fn(apiKey, { keyId: row.id, providerId: row.provider_id, origin: checked.origin, last4: apiKey.slice(-4) });
}

// What a row's key needs on every call, worked out once per row read (rows are re-read every
// second): the origin check (two URL parses) and the associated data. Ciphertext metadata only.
const checkedRows = new WeakMap<Row, { origin: string | null; associatedData: string }>();

function checkedRow(row: Row): { origin: string | null; associatedData: string } {
  let checked = checkedRows.get(row);
  if (!checked) {
    checked = {
      origin: sameOrigin(row.bound_origin, row.base_url) ? new URL(row.base_url).origin : null,
      associatedData: providerKeyAssociatedData(row.id, row.provider_id),
    };
    checkedRows.set(row, checked);
  }
  return checked;
}

/** The provider refused this key (401, or quota exhausted): out of the gateway's rotation, flagged and audited. */
// Keys this instance took out, skipped at once: a key list read just before the update commits
// could otherwise hand the refused key out again for up to a second.
const takenOut = new Map<string, number>();

export async function takeKeyOutOfRotation(keyId: string, providerId: string, reason: string): Promise<void> {
  takenOut.set(keyId, Date.now() + 5_000);
  claimed.delete(providerId);
  // The flag, its audit row and its notification commit together: never flagged silently.
  await db.$transaction(async (tx) => {
    const [updated] = await tx.$queryRaw<
      { at: Date; label: string; last4: string; provider_name: string }[]
    >(Prisma.sql`
      UPDATE provider_keys k SET out_of_rotation_at = now(), out_of_rotation_reason = ${reason}
        FROM providers p
       WHERE k.id = ${keyId}::uuid AND k.out_of_rotation_at IS NULL AND p.id = k.provider_id
      RETURNING k.out_of_rotation_at AS at, k.label, k.last4, p.name AS provider_name`);
    if (!updated) return;
    await writeAudit(
      {
        actor: null,
        action: "key.out_of_rotation",
        targetType: "provider_key",
        targetId: keyId,
        details: { providerId, reason },
      },
      tx,
    );
    await writeNotificationEvent(tx, {
      kind: "provider_key.out_of_rotation",
      severity: "CRITICAL",
      dedupeKey: `provider_key.out_of_rotation:${keyId}:${updated.at.toISOString()}`,
      data: {
        provider_key_id: keyId,
        provider_id: providerId,
        provider_name: updated.provider_name,
        key_label: `${updated.label} (…${updated.last4})`,
        reason,
      },
    });
  });
}
