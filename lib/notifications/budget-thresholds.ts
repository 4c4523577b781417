import "server-only";
import { db, pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { monthWindow, type MonthWindow } from "@/lib/usage/budget-math";
import { writeNotificationEvent } from "@/lib/notifications/outbox";
import { parseThresholds } from "@/lib/notifications/thresholds";
import { limitsIdSql } from "@/lib/gateway-keys/lineage";

// Budget threshold events, from where spend is known exactly: spend_counters (kept in the same
// statement as every usage insert) against every budget (overall and provider budgets, teams' and
// gateway keys' monthly limits). A periodic job; each (scope, month, threshold) fires once across
// instances because the dedupe key is unique in the outbox, whichever instance or tick sees it.

// Budgets by spend_counters scope, with a name for the message. $1 month (date), $2 thresholds,
// $3 month label: only crossings not yet written come back.
const CROSSINGS_SQL = `
WITH budget_scopes AS (
  SELECT CASE WHEN b.scope = 'overall' THEN 'overall' ELSE 'provider:' || b.provider_id END AS scope,
    coalesce(p.name, 'Overall') AS name, b.monthly_amount AS amount
  FROM budgets b LEFT JOIN providers p ON p.id = b.provider_id
  UNION ALL SELECT 'team:' || t.id, t.name, t.monthly_budget_usd FROM teams t WHERE t.monthly_budget_usd IS NOT NULL
  -- A rotation chain is one budget (its first key's scope): named after its newest usable key.
  UNION ALL (SELECT DISTINCT ON (${limitsIdSql("k")}) 'key:' || ${limitsIdSql("k")}, k.name,
      k.monthly_budget_usd FROM gateway_keys k
    WHERE k.monthly_budget_usd IS NOT NULL AND k.status = 'ACTIVE'
    ORDER BY ${limitsIdSql("k")}, k.created_at DESC)
)
SELECT b.scope, b.name, b.amount::text AS amount, s.cost_sum::text AS spent, t.threshold,
  'budget:' || b.scope || ':' || $3 || ':' || t.threshold AS dedupe_key
FROM budget_scopes b
JOIN spend_counters s ON s.scope = b.scope AND s.month = $1::date
CROSS JOIN unnest($2::int[]) AS t(threshold)
WHERE b.amount > 0 AND s.cost_sum * 100 >= b.amount * t.threshold
  AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.dedupe_key = 'budget:' || b.scope || ':' || $3 || ':' || t.threshold)
ORDER BY b.scope, t.threshold`;

type Crossing = { scope: string; name: string; amount: string; spent: string; threshold: number; dedupe_key: string };

function scopeParts(scope: string): { type: string; id: string | null } {
  const colon = scope.indexOf(":");
  return colon < 0 ? { type: scope, id: null } : { type: scope.slice(0, colon), id: scope.slice(colon + 1) };
}

/** Writes an event for each threshold reached and not yet announced this month; returns how many were written here. */
export async function checkBudgetThresholds(now = new Date()): Promise<number> {
  const thresholds = parseThresholds(process.env.NOTIFY_BUDGET_THRESHOLDS);
  let written = 0;
  // Early in a month the previous one is checked too: spend recorded in its last minutes may not
  // have been seen by a tick before midnight.
  const current = monthWindow(now);
  const months =
    now.getTime() - current.start.getTime() < 3_600_000
      ? [monthWindow(new Date(current.start.getTime() - 1)), current]
      : [current];
  for (const window of months) written += await checkMonth(window, thresholds, now);
  return written;
}

async function checkMonth(window: MonthWindow, thresholds: number[], now: Date): Promise<number> {
  const { rows } = await pool.query<Crossing>(CROSSINGS_SQL, [window.start, thresholds, window.month]);
  let written = 0;
  for (const row of rows) {
    const { type, id } = scopeParts(row.scope);
    const percent = Number(((Number(row.spent) / Number(row.amount)) * 100).toFixed(1));
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "budget.threshold_reached",
        severity: row.threshold >= 100 ? "CRITICAL" : "WARNING",
        dedupeKey: row.dedupe_key,
        occurredAt: now,
        data: {
          scope: row.scope,
          scope_type: type,
          scope_id: id,
          name: row.name,
          month: window.month,
          threshold: row.threshold,
          budget_usd: row.amount,
          spent_usd: row.spent,
          percent,
        },
      }),
    );
    if (event) written += 1;
  }
  return written;
}

let lastSoon = 0;

/** After ingestion: at most every 30 s per process, in the background (the minute job checks too). */
export function checkBudgetThresholdsSoon(now = Date.now()): void {
  if (now - lastSoon < 30_000) return;
  lastSoon = now;
  void checkBudgetThresholds().catch((error: unknown) => logger.error("budget threshold check failed", { error }));
}

/**
 * Unthrottled, after a budget is set (it may already be crossed): awaited by the action, so the
 * announcement is written before it answers and no write of it lands after the call has returned.
 * A failure is logged, never the action's (the minute job checks again).
 */
export async function announceBudgetThresholdsNow(): Promise<void> {
  await checkBudgetThresholds().catch((error: unknown) => logger.error("budget threshold check failed", { error }));
}
