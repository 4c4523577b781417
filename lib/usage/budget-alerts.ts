import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { logger } from "@/lib/log/logger";
import { newlyCrossed } from "@/lib/usage/budget-math";
import { formatUsd } from "@/lib/charts/currency";
import { loadBudgetStatuses, type BudgetStatus } from "@/lib/usage/budgets";

// Announces a budget crossing 80 % and 100 % with an audit event, once per threshold per month.
// Called when budgets are read (pages) and after ingestion (throttled). Idempotent under
// concurrency: the budget row is locked and its announced (month, level) re-read inside the
// transaction, so two requests seeing the same crossing write one event.

const LOCK_SQL = `SELECT alerted_month, alerted_level FROM budgets WHERE id = $1::uuid FOR UPDATE`;
const MARK_SQL = `UPDATE budgets SET alerted_month = $2, alerted_level = $3, updated_at = now() WHERE id = $1::uuid`;

async function announce(status: BudgetStatus): Promise<number> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRawUnsafe<{ alerted_month: string | null; alerted_level: number }[]>(
      LOCK_SQL,
      status.id,
    );
    if (!row) return 0;
    const previous = row.alerted_month === status.month ? row.alerted_level : 0;
    const crossed = newlyCrossed(previous, status.level);
    if (crossed.length === 0) return 0;
    await tx.$executeRawUnsafe(MARK_SQL, status.id, status.month, status.level);
    for (const threshold of crossed) {
      await writeAudit(
        {
          actor: null,
          action: "budget.threshold_crossed",
          targetType: "budget",
          targetId: status.id,
          details: {
            scope: status.scope,
            month: status.month,
            threshold,
            budget: status.amount,
            spent: status.spent,
            unpricedRequests: status.unpriced,
            message: `${threshold} % of the ${formatUsd(status.amount)} monthly budget reached`,
          },
        },
        tx,
      );
    }
    return crossed.length;
  });
}

/** Writes the audit events for thresholds crossed and not yet announced; returns how many. */
export async function announceBudgetCrossings(statuses: readonly BudgetStatus[]): Promise<number> {
  let events = 0;
  for (const status of statuses) {
    const announced = status.alertedMonth === status.month ? status.alertedLevel : 0;
    // Cheap pre-check on the row as read: most reads change nothing and open no transaction.
    if (status.level > announced) events += await announce(status);
  }
  return events;
}

/** Budget statuses for a page, announcing new crossings on the way (never failing the page). */
export async function budgetStatusesWithAlerts(now = new Date()): Promise<BudgetStatus[]> {
  const statuses = await loadBudgetStatuses(now);
  await announceBudgetCrossings(statuses).catch((error: unknown) => logger.error("budget alert failed", { error }));
  return statuses;
}

let lastCheck = 0;

/** After ingestion: at most every 30 s per process, in the background. */
export function checkBudgetsSoon(now = Date.now()): void {
  if (now - lastCheck < 30_000) return;
  lastCheck = now;
  void budgetStatusesWithAlerts().catch((error: unknown) => logger.error("budget check failed", { error }));
}
