import { fromUnits, toUnits } from "@/lib/usage/money";

// Month-to-date arithmetic for budgets and the overview: UTC calendar months, exact decimal
// money (BigInt units), thresholds at 80 % and 100 %. Pure.

export type MonthWindow = { month: string; start: Date; end: Date; elapsedMs: number; lengthMs: number; days: number };

/** The UTC calendar month holding `now`: "2026-11", its bounds and how much of it has passed. */
export function monthWindow(now: Date): MonthWindow {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const lengthMs = end.getTime() - start.getTime();
  return {
    month: start.toISOString().slice(0, 7),
    start,
    end,
    elapsedMs: Math.min(lengthMs, Math.max(0, now.getTime() - start.getTime())),
    lengthMs,
    days: Math.round(lengthMs / 86_400_000),
  };
}

/**
 * Month-end forecast: the month-to-date spend extended at the same average rate over the whole
 * month (spend ÷ elapsed time × month length). Null in the month's first hour, when the rate is
 * mostly noise. Exact to 1e-10 (truncated).
 */
export function forecastMonthEnd(monthToDate: string, now: Date): string | null {
  const window = monthWindow(now);
  if (window.elapsedMs < 3_600_000) return null;
  return fromUnits((toUnits(monthToDate) * BigInt(window.lengthMs)) / BigInt(window.elapsedMs));
}

export const THRESHOLDS = [80, 100] as const;
export type BudgetLevel = 0 | 80 | 100;

/** Highest threshold reached: spend ≥ 100 % of the budget → 100, ≥ 80 % → 80, else 0. */
export function budgetLevel(spent: string, budget: string): BudgetLevel {
  const budgetUnits = toUnits(budget);
  if (budgetUnits <= 0n) return 0;
  const spentUnits = toUnits(spent);
  if (spentUnits * 100n >= budgetUnits * 100n) return 100;
  if (spentUnits * 100n >= budgetUnits * 80n) return 80;
  return 0;
}

/** Used share of the budget in percent, one decimal, for display (may exceed 100). */
export function budgetPercent(spent: string, budget: string): number {
  const budgetUnits = toUnits(budget);
  if (budgetUnits <= 0n) return 0;
  return Number((toUnits(spent) * 1000n) / budgetUnits) / 10;
}

export type BurnPoint = { day: string; spent: string; remaining: string; ideal: string };

/**
 * Burn-down of a monthly budget: per day of the month so far, the cumulative spend, what is left,
 * and the straight line from the full budget on day 1 to zero at month end.
 */
export function burnDown(budget: string, dailySpend: ReadonlyMap<string, string>, now: Date): BurnPoint[] {
  const window = monthWindow(now);
  const budgetUnits = toUnits(budget);
  const points: BurnPoint[] = [];
  let spent = 0n;
  const today = now.toISOString().slice(0, 10);
  for (let day = 0; day < window.days; day += 1) {
    const date = new Date(window.start.getTime() + day * 86_400_000).toISOString().slice(0, 10);
    if (date > today) break;
    spent += toUnits(dailySpend.get(date) ?? "0");
    const ideal = (budgetUnits * BigInt(window.days - day - 1)) / BigInt(window.days);
    points.push({
      day: date,
      spent: fromUnits(spent),
      remaining: fromUnits(budgetUnits - spent),
      ideal: fromUnits(ideal),
    });
  }
  return points;
}
