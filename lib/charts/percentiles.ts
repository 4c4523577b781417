import { bucketRepresentative } from "@/lib/usage/histogram";

// Percentiles from a bucket-count histogram (lib/usage/histogram.ts). Uses the nearest-rank
// definition on the bucket counts: the p-quantile is the bucket holding the ceil(p·n)-th value,
// reported as that bucket's geometric midpoint.

export type HistogramCounts = readonly (number | string | bigint)[];

export function totalCount(histogram: HistogramCounts): number {
  let total = 0;
  for (const count of histogram) total += Number(count);
  return total;
}

/** p in (0, 1]. Null for an empty histogram: "no data" is not 0 ms. */
export function percentileFromHistogram(histogram: HistogramCounts, p: number): number | null {
  const total = totalCount(histogram);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let index = 0; index < histogram.length; index += 1) {
    seen += Number(histogram[index]);
    if (seen >= rank) return bucketRepresentative(index);
  }
  return bucketRepresentative(histogram.length - 1);
}

export type LatencyPercentiles = { p50: number | null; p95: number | null; p99: number | null };

export function latencyPercentiles(histogram: HistogramCounts): LatencyPercentiles {
  return {
    p50: percentileFromHistogram(histogram, 0.5),
    p95: percentileFromHistogram(histogram, 0.95),
    p99: percentileFromHistogram(histogram, 0.99),
  };
}

/** Milliseconds for display: whole ms from 10 ms up, one decimal below. */
export function formatMs(value: number | null): string {
  if (value === null) return "—";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 10) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}
