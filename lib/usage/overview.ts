import "server-only";
import { cache } from "react";
import { latencyPercentiles } from "@/lib/charts/percentiles";
import { monthWindow } from "@/lib/usage/budget-math";
import { monthToDateSpend as loadMonthToDateSpend } from "@/lib/usage/budgets";
import { groupHistogram } from "@/lib/usage/latency-aggregate";
import { loadLatencyGroups } from "@/lib/usage/latency-series";
import { pool } from "@/lib/db/client";
import { minuteSeries, minuteWindow, type MinuteSeries } from "@/lib/charts/minute-series";
import { NONE_ID } from "@/lib/usage/buckets";
import { topBySpend } from "@/lib/usage/spend-ranking";
import { querySpendTotals, type SpendTotal } from "@/lib/usage/spend-series";

// The overview widgets' numbers, each one small read of the rollups (gateway traffic: of the last
// hour's raw records). Cached per request so two widgets needing the same read share it. Each takes
// the instant it counts from (default: now), so tests can pin the clock to the first minutes of a
// UTC month or day.

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
  return topBySpend(rows, limit);
});

/**
 * Teams by spend this UTC month, biggest first; usage without a team (the nil UUID) is left out.
 * Read from the daily rollups rather than spend_counters: the same numbers as the spend page
 * stacked by team (the widget links there), and they carry request and estimated counts.
 * spend_counters holds the same sums (tests/integration/gateway-spend.test.ts checks both).
 */
export const topTeamsThisMonth = cache(async (limit = 5, now: Date = new Date()): Promise<SpendTotal[]> => {
  const window = monthWindow(now);
  const rows = await querySpendTotals({ from: window.start, to: window.end }, "team");
  return topBySpend(rows, limit, new Set([NONE_ID]));
});

export type GatewayTraffic = MinuteSeries & { from: Date; to: Date };

/**
 * Gateway requests per minute and errors over the 60 whole minutes before now, from the raw
 * records (source GATEWAY) through the occurred_at index. The hourly rollups cannot answer this:
 * their buckets are clock hours (not the last 60 minutes, and no per-minute shape) and they have
 * no source column. One hour of raw rows is a bounded index range, aggregated in SQL to ≤ 60 rows.
 * Errors are status ERROR, as in the rollups; cancelled requests (caller left) are counted apart.
 */
export const gatewayTraffic = cache(async (now: Date = new Date()): Promise<GatewayTraffic> => {
  const window = minuteWindow(now);
  const { rows } = await pool.query<{ minute: string; requests: string; errors: string; cancelled: string }>(
    `SELECT floor(extract(epoch FROM occurred_at) / 60)::bigint::text AS minute, count(*)::text AS requests,
       count(*) FILTER (WHERE status = 'ERROR')::text AS errors,
       count(*) FILTER (WHERE status = 'CANCELLED')::text AS cancelled
     FROM usage_records
     WHERE occurred_at >= $1 AND occurred_at < $2 AND source = 'GATEWAY'
     GROUP BY 1`,
    [window.from, window.to],
  );
  const series = minuteSeries(
    rows.map((row) => ({
      minute: Number(row.minute),
      requests: Number(row.requests),
      errors: Number(row.errors),
      cancelled: Number(row.cancelled),
    })),
    window,
  );
  return { ...series, from: window.from, to: window.to };
});
