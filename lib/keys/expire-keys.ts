import "server-only";
import { cache } from "react";
import { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { shortFingerprint } from "@/lib/keys/format";
import { announceProviderKeyExpired } from "@/lib/notifications/key-expiry";

// Keys past expires_at become EXPIRED; retiring keys past retire_at become REVOKED. Run before a
// key list is read (expireKeysIfDue) and by the health/rewrap paths and the minute job, so a
// status shown is never stale; calls do not depend on it because withDecryptedKey checks the
// dates in its own statement.

type Swept = { id: string; provider_id: string; fingerprint: string; expires_at: Date | null };

export async function expireKeys(now = new Date()): Promise<{ expired: number; revoked: number }> {
  return db.$transaction(async (tx) => {
    const expired = await tx.$queryRaw<Swept[]>(Prisma.sql`
      UPDATE provider_keys SET status = 'EXPIRED', is_primary = false
       WHERE status IN ('ACTIVE', 'RETIRING') AND expires_at IS NOT NULL AND expires_at <= ${now}
       RETURNING id::text, provider_id::text, fingerprint, expires_at`);
    const revoked = await tx.$queryRaw<Swept[]>(Prisma.sql`
      UPDATE provider_keys SET status = 'REVOKED', is_primary = false, revoked_at = retire_at
       WHERE status = 'RETIRING' AND retire_at IS NOT NULL AND retire_at <= ${now}
       RETURNING id::text, provider_id::text, fingerprint, expires_at`);
    for (const row of expired) {
      await writeAudit(
        {
          actor: null,
          action: "key.expired",
          targetType: "provider_key",
          targetId: row.id,
          details: { providerId: row.provider_id, fingerprint: shortFingerprint(row.fingerprint) },
        },
        tx,
      );
      if (row.expires_at) await announceProviderKeyExpired(tx, { ...row, expires_at: row.expires_at });
    }
    for (const row of revoked) {
      await writeAudit(
        {
          actor: null,
          action: "key.revoked",
          targetType: "provider_key",
          targetId: row.id,
          details: {
            providerId: row.provider_id,
            fingerprint: shortFingerprint(row.fingerprint),
            reason: "grace period ended",
          },
        },
        tx,
      );
    }
    return { expired: expired.length, revoked: revoked.length };
  });
}

const DUE_SQL = `SELECT EXISTS (
  SELECT 1 FROM provider_keys
   WHERE (status IN ('ACTIVE', 'RETIRING') AND expires_at <= $1) OR (status = 'RETIRING' AND retire_at <= $1)
) AS due`;

/**
 * For read paths (every page that lists keys): one indexed read, and the sweep's transaction only
 * when a key is actually due. Once per request: several widgets on a page read key lists.
 */
export const expireKeysIfDue = cache(async (): Promise<void> => {
  const now = new Date();
  const { rows } = await pool.query<{ due: boolean }>(DUE_SQL, [now]);
  if (rows[0]?.due) await expireKeys(now);
});
