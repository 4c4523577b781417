import "server-only";
import { db, pool } from "@/lib/db/client";
import { conditionSettings } from "@/lib/notifications/condition-settings";
import { writeNotificationEvent } from "@/lib/notifications/outbox";

// provider.error_rate_high: a provider whose calls failed at or above NOTIFY_ERROR_RATE_PERCENT
// over the last 5 minutes, once it made NOTIFY_ERROR_RATE_MIN_REQUESTS calls in them. Every call
// the console knows of counts (gateway, ingested, test), read from the usage ledger by its time
// index; failures that are the caller's own (a bad request, a request too large, a cancel) and
// cache hits say nothing about the provider and are left out. Announced once per provider per
// UTC hour while the condition lasts.

export const ERROR_RATE_WINDOW_MS = 5 * 60_000;
const CALLER_FAULTS = ["bad_request", "invalid_request", "too_large", "cancelled"];

// $1 window start, $2 now, $3 minimum calls, $4 percentage, $5 caller-fault classes, $6 hour label.
const HIGH_SQL = `
SELECT u.provider_id::text AS provider_id, p.name AS provider_name, count(*)::int AS requests,
  count(*) FILTER (WHERE u.status = 'ERROR')::int AS errors,
  'provider.error_rate_high:' || u.provider_id || ':' || $6 AS dedupe_key
FROM usage_records u JOIN providers p ON p.id = u.provider_id
WHERE u.occurred_at > $1 AND u.occurred_at <= $2 AND u.status <> 'CANCELLED' AND NOT u.cached
  AND NOT (u.status = 'ERROR' AND coalesce(u.error_class, '') = ANY($5::text[]))
GROUP BY u.provider_id, p.name
HAVING count(*) >= $3 AND count(*) FILTER (WHERE u.status = 'ERROR') * 100 >= $4::numeric * count(*)
  AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.dedupe_key = 'provider.error_rate_high:' || u.provider_id || ':' || $6)`;

type High = { provider_id: string; provider_name: string; requests: number; errors: number; dedupe_key: string };

/** Writes an event per provider over the threshold not announced this hour; returns how many. */
export async function checkErrorRates(now = new Date()): Promise<number> {
  const settings = conditionSettings();
  const hour = now.toISOString().slice(0, 13);
  const { rows } = await pool.query<High>(HIGH_SQL, [
    new Date(now.getTime() - ERROR_RATE_WINDOW_MS),
    now,
    settings.errorRateMinRequests,
    settings.errorRatePercent,
    CALLER_FAULTS,
    hour,
  ]);
  let written = 0;
  for (const row of rows) {
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "provider.error_rate_high",
        severity: "CRITICAL",
        dedupeKey: row.dedupe_key,
        occurredAt: now,
        data: {
          provider_id: row.provider_id,
          provider_name: row.provider_name,
          requests: row.requests,
          errors: row.errors,
          error_percent: Number(((row.errors / row.requests) * 100).toFixed(1)),
          threshold_percent: settings.errorRatePercent,
          window_minutes: ERROR_RATE_WINDOW_MS / 60_000,
          hour,
        },
      }),
    );
    if (event) written += 1;
  }
  return written;
}
