import "server-only";
import { pool } from "@/lib/db/client";
import { conditionSettings } from "@/lib/notifications/condition-settings";

// The outbox and its delivery log are kept NOTIFY_OUTBOX_RETENTION_DAYS (default 90), then
// deleted (deliveries with their event). An event is also its condition's "already announced"
// mark (dedupe_key), so it is kept for as long as any condition could still see it: at least 62
// days (a month's budget thresholds are checked into the next month) and twice the key-expiry
// window. An event with a delivery still pending is never deleted.

const DAY_MS = 86_400_000;
const BATCH = 5_000;

export function outboxRetentionDays(env: Record<string, string | undefined> = process.env): number {
  const floor = Math.max(62, 2 * conditionSettings(env).keyExpiryDays + 1);
  const asked = Number(env.NOTIFY_OUTBOX_RETENTION_DAYS ?? 90);
  return Number.isFinite(asked) ? Math.max(floor, Math.floor(asked)) : Math.max(floor, 90);
}

/** Deletes events older than the retention (in batches, so no long lock); returns how many. */
export async function pruneNotificationOutbox(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - outboxRetentionDays() * DAY_MS);
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM notification_outbox WHERE id IN (
         SELECT o.id FROM notification_outbox o
          WHERE o.created_at < $1
            AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.outbox_id = o.id AND d.status = 'PENDING')
          LIMIT ${BATCH})`,
      [before],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return deleted;
  }
}
