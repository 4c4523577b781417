import {
  bucketRange,
  OVERFLOW_BUCKET,
  sparseOf,
  type DenseHistogram,
  type SparseHistogram,
} from "@/lib/usage/histogram";

// Percentiles from a bucket-count histogram (lib/usage/histogram.ts), with the same definition as
// PostgreSQL's percentile_cont: the value at 0-based rank h = (n − 1)·p, interpolated linearly
// between the order statistics at floor(h) and floor(h) + 1. Each order statistic is estimated
// inside the bucket that holds it, assuming the bucket's c values are spread evenly over its
// whole-millisecond range, so the estimate stays inside the true value's bucket (< 2 % away).

/** Estimated order statistics (0-based ranks, ascending) in one pass over the non-empty buckets. */
function orderStatistics(histogram: SparseHistogram, ranks: readonly number[]): number[] {
  const values: number[] = [];
  let next = 0;
  let seen = 0;
  for (let pair = 0; pair < histogram.indexes.length && next < ranks.length; pair += 1) {
    const count = histogram.counts[pair]!;
    const { low, high } = bucketRange(histogram.indexes[pair]!);
    // The (k − seen)-th of `count` values spread evenly over [low, high].
    while (next < ranks.length && ranks[next]! < seen + count) {
      values.push(high === low ? low : low + ((high - low) * (ranks[next]! - seen + 0.5)) / count);
      next += 1;
    }
    seen += count;
  }
  while (values.length < ranks.length) values.push(bucketRange(OVERFLOW_BUCKET).low);
  return values;
}

/**
 * Several percentiles (p in [0, 1]) at once. Nulls for an empty histogram: "no data" is not 0 ms.
 * Plain loops on purpose: this runs once per chart point (hundreds per chart).
 */
export function percentilesOf(histogram: SparseHistogram, ps: readonly number[]): (number | null)[] {
  const n = histogram.total;
  const result: (number | null)[] = [];
  if (n <= 0) {
    for (let i = 0; i < ps.length; i += 1) result.push(null);
    return result;
  }
  const ranks: number[] = [];
  for (const p of ps) {
    const lower = Math.floor((n - 1) * Math.min(1, Math.max(0, p)));
    ranks.push(lower, Math.min(n - 1, lower + 1));
  }
  const sorted = [...ranks].sort(ascending);
  const values = orderStatistics(histogram, sorted);
  for (let i = 0; i < ps.length; i += 1) {
    const rank = (n - 1) * Math.min(1, Math.max(0, ps[i]!));
    const lower = values[sorted.indexOf(ranks[2 * i]!)]!;
    const upper = values[sorted.indexOf(ranks[2 * i + 1]!)]!;
    const fraction = rank - ranks[2 * i]!;
    result.push(fraction === 0 ? lower : lower + fraction * (upper - lower));
  }
  return result;
}

function ascending(a: number, b: number): number {
  return a - b;
}

export function percentileFromHistogram(histogram: DenseHistogram, p: number): number | null {
  return percentilesOf(sparseOf(histogram), [p])[0]!;
}

export type LatencyPercentiles = { p50: number | null; p95: number | null; p99: number | null };

export function latencyPercentiles(histogram: DenseHistogram | SparseHistogram): LatencyPercentiles {
  const sparse = histogram instanceof Float64Array ? sparseOf(histogram) : histogram;
  const [p50 = null, p95 = null, p99 = null] = percentilesOf(sparse, [0.5, 0.95, 0.99]);
  return { p50, p95, p99 };
}

/** Milliseconds for display: whole ms from 10 ms up, one decimal below, seconds from 10 s. */
export function formatMs(value: number | null): string {
  if (value === null) return "—";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 10) return `${Math.round(value).toLocaleString("en-US")} ms`;
  return `${value.toFixed(1)} ms`;
}
