import "server-only";
import { db, pool } from "@/lib/db/client";
import { conditionSettings } from "@/lib/notifications/condition-settings";
import { writeNotificationEvent } from "@/lib/notifications/outbox";

// spend.anomaly: a UTC day's spend so far at or above NOTIFY_SPEND_ANOMALY_MULTIPLE times the
// daily average of the 7 days before it (and at least NOTIFY_SPEND_ANOMALY_MIN_USD), overall and
// per team. Read from the daily rollups (kept in the statement of every usage insert, never
// pruned), compared in numeric: exact, like every other money figure. No history (a trailing
// average of 0) means no anomaly: a first day of use is not unusual. Once per scope per day.

const NONE = "00000000-0000-0000-0000-000000000000";

// $1 today (UTC midnight), $2 multiple, $3 minimum dollars, $4 day label.
const ANOMALY_SQL = `
WITH daily AS (
  SELECT 'overall' AS scope, bucket, sum(cost_sum) AS spent FROM usage_rollup_daily
   WHERE bucket >= $1::timestamptz - interval '7 days' AND bucket <= $1::timestamptz GROUP BY bucket
  UNION ALL
  SELECT 'team:' || team_id, bucket, sum(cost_sum) FROM usage_rollup_daily
   WHERE team_id <> '${NONE}'::uuid AND bucket >= $1::timestamptz - interval '7 days' AND bucket <= $1::timestamptz
   GROUP BY team_id, bucket
), scored AS (
  SELECT scope, coalesce(sum(spent) FILTER (WHERE bucket = $1::timestamptz), 0) AS today,
    coalesce(sum(spent) FILTER (WHERE bucket < $1::timestamptz), 0) / 7 AS average
  FROM daily GROUP BY scope
)
SELECT s.scope, coalesce(t.name, 'Overall') AS name, s.today::text AS spent, round(s.average, 10)::text AS average,
  round(s.today / s.average, 1)::text AS multiple, 'spend.anomaly:' || s.scope || ':' || $4 AS dedupe_key
FROM scored s LEFT JOIN teams t ON s.scope = 'team:' || t.id
WHERE s.average > 0 AND s.today >= $3::numeric AND s.today >= s.average * $2::numeric
  AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.dedupe_key = 'spend.anomaly:' || s.scope || ':' || $4)
ORDER BY s.scope`;

type Anomaly = { scope: string; name: string; spent: string; average: string; multiple: string; dedupe_key: string };

/** Writes an event per scope whose spend today is anomalous and not yet announced; returns how many. */
export async function checkSpendAnomalies(now = new Date()): Promise<number> {
  const settings = conditionSettings();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const day = today.toISOString().slice(0, 10);
  const { rows } = await pool.query<Anomaly>(ANOMALY_SQL, [
    today,
    String(settings.spendAnomalyMultiple),
    settings.spendAnomalyMinUsd,
    day,
  ]);
  let written = 0;
  for (const row of rows) {
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "spend.anomaly",
        severity: "WARNING",
        dedupeKey: row.dedupe_key,
        occurredAt: now,
        data: {
          scope: row.scope,
          scope_type: row.scope === "overall" ? "overall" : "team",
          scope_id: row.scope === "overall" ? null : row.scope.slice("team:".length),
          name: row.name,
          day,
          spent_usd: row.spent,
          average_usd: row.average,
          multiple: Number(row.multiple),
          threshold_multiple: settings.spendAnomalyMultiple,
        },
      }),
    );
    if (event) written += 1;
  }
  return written;
}
