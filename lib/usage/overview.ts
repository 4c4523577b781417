import "server-only";
import { cache } from "react";
import { latencyPercentiles } from "@/lib/charts/percentiles";
import { monthWindow } from "@/lib/usage/budget-math";
import { monthToDateSpend as loadMonthToDateSpend } from "@/lib/usage/budgets";
import { groupHistogram } from "@/lib/usage/latency-aggregate";
import { loadLatencyGroups } from "@/lib/usage/latency-series";
import { toUnits } from "@/lib/usage/money";
import { querySpendTotals, type SpendTotal } from "@/lib/usage/spend-series";

// The overview widgets' numbers, each one small read of the rollups. Cached per request so two
// widgets needing the same read share it. Each takes the instant it counts from (default: now), so
// tests can pin the clock to the first minutes of a UTC month or day.

export const monthToDateSpend = cache((now: Date = new Date()) => loadMonthToDateSpend(now));

export type RecentHealth = { requests: number; errors: number; p50: number | null; p95: number | null; since: Date };

/** The last 24 hours (whole hours plus the current one) over all providers. */
export const recentHealth = cache(async (now: Date = new Date()): Promise<RecentHealth> => {
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const since = new Date(hour - 23 * 3_600_000);
  const [all] = await loadLatencyGroups(
    { from: since, to: new Date(hour + 3_600_000), granularity: "all", groupBy: "none" },
    ["latency"],
  );
  if (!all) return { requests: 0, errors: 0, p50: null, p95: null, since };
  const { p50, p95 } = latencyPercentiles(groupHistogram(all, "latency"));
  return { requests: all.requests, errors: all.errors, p50, p95, since };
});

/** Models by spend this UTC month, biggest first; unpriced counts travel with them. */
export const topModelsThisMonth = cache(async (limit = 5, now: Date = new Date()): Promise<SpendTotal[]> => {
  const window = monthWindow(now);
  const rows = await querySpendTotals({ from: window.start, to: window.end }, "model");
  return rows
    .sort((a, b) => {
      const difference = toUnits(b.cost) - toUnits(a.cost);
      return difference > 0n ? 1 : difference < 0n ? -1 : b.requests - a.requests;
    })
    .slice(0, limit);
});
