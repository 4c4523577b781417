import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { conditionSettings } from "@/lib/notifications/condition-settings";
import { writeNotificationEvent } from "@/lib/notifications/outbox";

// Keys about to stop working: provider keys and gateway keys whose expiry falls within
// NOTIFY_KEY_EXPIRY_DAYS ("expiring"), and gateway keys that expired ("expired"; a gateway key's
// expiry is a date the gateway compares, with no sweep to hang the event on). Provider keys'
// "expired" is written by the expiry sweep itself (lib/keys/expire-keys.ts), in its transaction.
// The dedupe key includes the expiry instant: a key whose date is moved is announced again.

const DAY_MS = 86_400_000;

// $1 now, $2 horizon (now + days), $3 oldest expiry still announced as expired (now - days).
const DUE_SQL = `
SELECT 'provider_key.expiring' AS kind, k.id::text AS id, k.expires_at, p.name AS provider_name, k.label, k.last4, NULL AS team_name
  FROM provider_keys k JOIN providers p ON p.id = k.provider_id
 WHERE k.status = 'ACTIVE' AND p.archived_at IS NULL AND k.expires_at > $1 AND k.expires_at <= $2
UNION ALL
SELECT CASE WHEN k.expires_at <= $1 THEN 'gateway_key.expired' ELSE 'gateway_key.expiring' END, k.id::text, k.expires_at,
  NULL, k.name, k.last4, t.name
  FROM gateway_keys k JOIN teams t ON t.id = k.team_id
 WHERE k.status = 'ACTIVE' AND k.expires_at > $3 AND k.expires_at <= $2`;

type Due = {
  kind: "provider_key.expiring" | "gateway_key.expiring" | "gateway_key.expired";
  id: string;
  expires_at: Date;
  provider_name: string | null;
  label: string;
  last4: string;
  team_name: string | null;
};

export function keyEventDedupeKey(kind: string, id: string, expiresAt: Date): string {
  return `${kind}:${id}:${expiresAt.toISOString()}`;
}

/** Writes the expiring/expired events not written yet; returns how many were written here. */
export async function checkKeyExpiry(now = new Date()): Promise<number> {
  const { keyExpiryDays } = conditionSettings();
  const horizon = new Date(now.getTime() + keyExpiryDays * DAY_MS);
  const oldest = new Date(now.getTime() - keyExpiryDays * DAY_MS);
  const { rows } = await pool.query<Due>(DUE_SQL, [now, horizon, oldest]);
  let written = 0;
  for (const row of rows) {
    const dedupeKey = keyEventDedupeKey(row.kind, row.id, row.expires_at);
    const data =
      row.kind === "provider_key.expiring"
        ? {
            provider_key_id: row.id,
            provider_name: row.provider_name,
            key_label: `${row.label} (…${row.last4})`,
            expires_at: row.expires_at.toISOString(),
            days_left: Math.max(0, Math.ceil((row.expires_at.getTime() - now.getTime()) / DAY_MS)),
          }
        : {
            gateway_key_id: row.id,
            name: row.label,
            last4: row.last4,
            team: row.team_name,
            expires_at: row.expires_at.toISOString(),
            ...(row.kind === "gateway_key.expiring"
              ? { days_left: Math.max(0, Math.ceil((row.expires_at.getTime() - now.getTime()) / DAY_MS)) }
              : {}),
          };
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: row.kind,
        severity: row.kind === "gateway_key.expired" ? "CRITICAL" : "WARNING",
        dedupeKey,
        occurredAt: now,
        data,
      }),
    );
    if (event) written += 1;
  }
  return written;
}

/** provider_key.expired, from inside the expiry sweep's transaction. */
export async function announceProviderKeyExpired(
  tx: Prisma.TransactionClient,
  key: { id: string; provider_id: string; expires_at: Date },
): Promise<void> {
  const [row] = await tx.$queryRaw<{ provider_name: string; label: string; last4: string }[]>(Prisma.sql`
    SELECT p.name AS provider_name, k.label, k.last4 FROM provider_keys k JOIN providers p ON p.id = k.provider_id
     WHERE k.id = ${key.id}::uuid`);
  if (!row) return;
  await writeNotificationEvent(tx, {
    kind: "provider_key.expired",
    severity: "CRITICAL",
    dedupeKey: keyEventDedupeKey("provider_key.expired", key.id, key.expires_at),
    data: {
      provider_key_id: key.id,
      provider_id: key.provider_id,
      provider_name: row.provider_name,
      key_label: `${row.label} (…${row.last4})`,
      expires_at: key.expires_at.toISOString(),
    },
  });
}
