import "server-only";
import { cache } from "react";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { budgetLevel, budgetPercent, forecastMonthEnd, monthWindow, type BudgetLevel } from "@/lib/usage/budget-math";
import { fromUnits, toUnits } from "@/lib/usage/money";
import { OVERALL_SCOPE } from "@/lib/usage/schemas";

// Monthly budgets (overall, or per provider) and how much of each this UTC month has used, from
// the daily rollups. Unpriced requests are counted beside the spend: they may hide real cost.

export const budgetSelect = {
  id: true,
  scope: true,
  providerId: true,
  monthlyAmount: true,
  hard: true,
} satisfies Prisma.BudgetSelect;

export type BudgetRow = Prisma.BudgetGetPayload<{ select: typeof budgetSelect }>;

export type BudgetStatus = {
  id: string;
  scope: string;
  providerId: string | null;
  amount: string;
  /** Enforced by the gateway: requests are refused once spend reaches the amount. */
  hard: boolean;
  month: string;
  spent: string;
  unpriced: number;
  level: BudgetLevel;
  percent: number;
  forecast: string | null;
};

// Cached per request (a no-op outside a render): the banner and the overview widget both ask.
export const listBudgets = cache(async (): Promise<BudgetRow[]> => {
  // Overall first, then providers in a stable order.
  const rows = await db.budget.findMany({ select: budgetSelect, orderBy: { scope: "asc" } });
  return rows.sort((a, b) => (a.scope === OVERALL_SCOPE ? -1 : b.scope === OVERALL_SCOPE ? 1 : 0));
});

export type MonthSpend = {
  byProvider: Map<string, { cost: string; unpriced: number }>;
  total: { cost: string; unpriced: number };
};

/** Spend so far this UTC month, per provider and in total (daily rollups, today included). */
export function monthToDateSpend(now = new Date()): Promise<MonthSpend> {
  const window = monthWindow(now);
  return spendBetween(window.start.toISOString(), window.end.toISOString());
}

// Keyed by the window's bounds (strings, so per-request caching matches equal months).
const spendBetween = cache(async (start: string, end: string): Promise<MonthSpend> => {
  const window = { start: new Date(start), end: new Date(end) };
  const { rows } = await pool.query<{ provider_id: string; cost: string; unpriced: string }>(
    `SELECT provider_id::text AS provider_id, sum(cost_sum)::text AS cost, sum(unpriced_count)::text AS unpriced
     FROM usage_rollup_daily WHERE bucket >= $1 AND bucket < $2 GROUP BY 1`,
    [window.start, window.end],
  );
  let total = 0n;
  let unpriced = 0;
  const byProvider = new Map<string, { cost: string; unpriced: number }>();
  for (const row of rows) {
    byProvider.set(row.provider_id, { cost: row.cost, unpriced: Number(row.unpriced) });
    total += toUnits(row.cost);
    unpriced += Number(row.unpriced);
  }
  return { byProvider, total: { cost: fromUnits(total), unpriced } };
});

export async function loadBudgetStatuses(now = new Date()): Promise<BudgetStatus[]> {
  const [budgets, spend] = await Promise.all([listBudgets(), monthToDateSpend(now)]);
  const month = monthWindow(now).month;
  return budgets.map((budget) => {
    const used =
      budget.scope === OVERALL_SCOPE
        ? spend.total
        : (spend.byProvider.get(budget.providerId ?? "") ?? { cost: "0", unpriced: 0 });
    const amount = budget.monthlyAmount.toFixed(2);
    return {
      id: budget.id,
      scope: budget.scope,
      providerId: budget.providerId,
      amount,
      hard: budget.hard,
      month,
      spent: used.cost,
      unpriced: used.unpriced,
      level: budgetLevel(used.cost, amount),
      percent: budgetPercent(used.cost, amount),
      forecast: forecastMonthEnd(used.cost, now),
    };
  });
}

/** Spend per UTC day of this month for one budget's scope (burn-down chart). */
export async function dailySpendThisMonth(
  scope: string,
  providerId: string | null,
  now = new Date(),
): Promise<Map<string, string>> {
  const window = monthWindow(now);
  const params: unknown[] = [window.start, window.end];
  const filter = scope === OVERALL_SCOPE ? "" : `AND provider_id = $${params.push(providerId)}::uuid`;
  const { rows } = await pool.query<{ day: string; cost: string }>(
    `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(cost_sum)::text AS cost
     FROM usage_rollup_daily WHERE bucket >= $1 AND bucket < $2 ${filter} GROUP BY 1`,
    params,
  );
  return new Map(rows.map((row) => [row.day, row.cost]));
}
