import type { LatencyGroup, LatencyPoint } from "@/lib/usage/latency-aggregate";
import { fromUnits, roundToCents, toUnits } from "@/lib/usage/money";

// Chart-ready series for the latency page, computed on the server: lines of one percentile per
// series over time, error rates per class over time, and cost per 1,000 requests. Pure.

export type ChartSeries = { id: string; label: string };
export type ChartRow = Record<string, string | number | null>;
export type BarRow = Record<string, string | number>;

/** "2026-11-20T10:00:00Z" → "2026-11-20" (daily) or "11-20 10:00" (hourly). */
export function periodLabel(period: string, step: "hour" | "day"): string {
  return step === "day" ? period.slice(0, 10) : `${period.slice(5, 10)} ${period.slice(11, 16)}`;
}

/** One line per series; a point with no requests is null (a gap), never 0 ms. */
export function percentileLines(
  points: readonly LatencyPoint[],
  pct: "p50" | "p95" | "p99",
  step: "hour" | "day",
  labelOf: (id: string) => string,
) {
  const periods = [...new Set(points.map((point) => point.period))].sort();
  const seriesIds = [...new Set(points.map((point) => point.seriesId))];
  const rows: ChartRow[] = periods.map((period) => {
    const row: ChartRow = { period: periodLabel(period, step) };
    for (const id of seriesIds) row[id] = null;
    return row;
  });
  const index = new Map(periods.map((period, i) => [period, i]));
  for (const point of points) {
    const value = point[pct];
    rows[index.get(point.period)!]![point.seriesId] = value === null ? null : Math.round(value * 10) / 10;
  }
  const series: ChartSeries[] = seriesIds
    .map((id) => ({ id, label: labelOf(id) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { series, rows };
}

/** Per period: the share of requests that failed, split by error class (percent, 2 decimals). */
export function errorRateByClass(groups: readonly LatencyGroup[], step: "hour" | "day") {
  const byPeriod = new Map<string, { requests: number; errors: Record<string, number> }>();
  for (const group of groups) {
    const entry = byPeriod.get(group.period) ?? { requests: 0, errors: {} };
    entry.requests += group.requests;
    for (const [errorClass, count] of Object.entries(group.errorsByClass))
      entry.errors[errorClass] = (entry.errors[errorClass] ?? 0) + count;
    byPeriod.set(group.period, entry);
  }
  const totals: Record<string, number> = {};
  for (const { errors } of byPeriod.values())
    for (const [errorClass, count] of Object.entries(errors)) totals[errorClass] = (totals[errorClass] ?? 0) + count;
  const classes = Object.keys(totals).sort((a, b) => totals[b]! - totals[a]! || a.localeCompare(b));
  const rows: BarRow[] = [...byPeriod.keys()].sort().map((period) => {
    const { requests, errors } = byPeriod.get(period)!;
    const row: BarRow = { period: periodLabel(period, step) };
    for (const errorClass of classes)
      row[errorClass] = requests ? Math.round(((errors[errorClass] ?? 0) / requests) * 10_000) / 100 : 0;
    return row;
  });
  const requests = [...byPeriod.values()].reduce((sum, entry) => sum + entry.requests, 0);
  return {
    classes: classes.map((id) => ({ id, label: id, count: totals[id]!, share: requests ? totals[id]! / requests : 0 })),
    rows,
    requests,
  };
}

/** Exact cost per 1,000 priced requests, rounded to cents; null when nothing was priced. */
export function costPerThousand(cost: string, pricedRequests: number): string | null {
  if (pricedRequests <= 0) return null;
  return roundToCents(fromUnits((toUnits(cost) * 1000n) / BigInt(pricedRequests)));
}

export function percent(part: number, whole: number): string {
  if (!whole) return "—";
  return `${((part / whole) * 100).toFixed(2)} %`;
}
