import { addEncoded, decodeHistogram, emptyHistogram, sparseOf, type SparseHistogram } from "@/lib/usage/histogram";
import { latencyPercentiles } from "@/lib/charts/percentiles";

// Turns latency rollup rows (one per hour/day × provider × model, or × provider for the
// pre-merged "all models" rows) into chart points: group the rows of each (period, series), merge
// their histograms (a single row is read as is), then read percentiles. Pure.

export type LatencyRow = {
  period: string;
  providerId: string;
  modelId: string;
  requests: number;
  errors: number;
  errorsByClass: Record<string, number>;
  latencyHist?: Uint8Array | null;
  ttftHist?: Uint8Array | null;
};

export type LatencyGroup = {
  period: string;
  seriesId: string;
  requests: number;
  errors: number;
  errorsByClass: Record<string, number>;
  latencyParts: Uint8Array[];
  ttftParts: Uint8Array[];
};

export type LatencyPoint = {
  /** ISO start of the hour/day; "all" for whole-range rows (comparison table). */
  period: string;
  seriesId: string;
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

export function groupLatencyRows(rows: readonly LatencyRow[], groupBy: "provider" | "model" | "none"): LatencyGroup[] {
  const groups = new Map<string, LatencyGroup>();
  for (const row of rows) {
    const seriesId = groupBy === "provider" ? row.providerId : groupBy === "model" ? row.modelId : "all";
    const key = `${row.period}|${seriesId}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        period: row.period,
        seriesId,
        requests: 0,
        errors: 0,
        errorsByClass: {},
        latencyParts: [],
        ttftParts: [],
      };
      groups.set(key, group);
    }
    group.requests += row.requests;
    group.errors += row.errors;
    for (const [errorClass, count] of Object.entries(row.errorsByClass))
      group.errorsByClass[errorClass] = (group.errorsByClass[errorClass] ?? 0) + Number(count);
    if (row.latencyHist?.byteLength) group.latencyParts.push(row.latencyHist);
    if (row.ttftHist?.byteLength) group.ttftParts.push(row.ttftHist);
  }
  return [...groups.values()].sort((a, b) =>
    a.period < b.period ? -1 : a.period > b.period ? 1 : a.seriesId < b.seriesId ? -1 : 1,
  );
}

export function groupHistogram(group: LatencyGroup, metric: "latency" | "ttft"): SparseHistogram {
  const parts = metric === "latency" ? group.latencyParts : group.ttftParts;
  if (parts.length <= 1) return decodeHistogram(parts[0]);
  const dense = emptyHistogram();
  for (const part of parts) addEncoded(dense, part);
  return sparseOf(dense);
}

export function percentilePoints(groups: readonly LatencyGroup[], metric: "latency" | "ttft"): LatencyPoint[] {
  const points: LatencyPoint[] = [];
  for (const group of groups) {
    const histogram = groupHistogram(group, metric);
    if (histogram.total > 0)
      points.push({
        period: group.period,
        seriesId: group.seriesId,
        count: histogram.total,
        ...latencyPercentiles(histogram),
      });
  }
  return points;
}

/** The same groups merged over all periods: one "all" group per series. */
export function mergeAcrossPeriods(groups: readonly LatencyGroup[]): LatencyGroup[] {
  const merged = new Map<string, LatencyGroup>();
  for (const group of groups) {
    let total = merged.get(group.seriesId);
    if (!total) {
      total = {
        period: "all",
        seriesId: group.seriesId,
        requests: 0,
        errors: 0,
        errorsByClass: {},
        latencyParts: [],
        ttftParts: [],
      };
      merged.set(group.seriesId, total);
    }
    total.requests += group.requests;
    total.errors += group.errors;
    for (const [errorClass, count] of Object.entries(group.errorsByClass))
      total.errorsByClass[errorClass] = (total.errorsByClass[errorClass] ?? 0) + count;
    total.latencyParts.push(...group.latencyParts);
    total.ttftParts.push(...group.ttftParts);
  }
  return [...merged.values()];
}
