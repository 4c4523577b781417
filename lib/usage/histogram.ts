// Latency histograms stored in the rollups: fixed, log-spaced buckets so two histograms add
// element by element (in SQL, usage_hist_add) and percentiles come out within a known error.
//
// Scheme (version 1, changing it needs a rollup rebuild):
//   bucket 0            [0 ms, 1 ms)
//   bucket i, 1..672    [1.02^(i-1) ms, 1.02^i ms)      1 ms up to ~601,500 ms (10 minutes)
//   bucket 673          [1.02^672 ms, ∞)                 overflow
// A bucket's representative value is its geometric midpoint 1.02^(i-0.5), at most
// sqrt(1.02) - 1 ≈ 0.995 % away from any value inside it, so a percentile read from the
// histogram is within ~1 % of the true order statistic (the 2 % budget leaves room for the
// interpolation percentile_cont does between neighbouring values).

export const HIST_RATIO = 1.02;
export const HIST_LOG_BUCKETS = 672;
/** Array length: the zero bucket, the log buckets and the overflow bucket. */
export const HIST_LENGTH = HIST_LOG_BUCKETS + 2;

const LOG_RATIO = Math.log(HIST_RATIO);

export function bucketIndex(ms: number): number {
  if (!(ms >= 1)) return 0;
  const index = Math.floor(Math.log(ms) / LOG_RATIO) + 1;
  // Floating-point log can land a hair below an exact boundary; nudge to the right bucket.
  if (index > 1 && ms < bucketLowerBound(index)) return Math.min(index - 1, HIST_LENGTH - 1);
  if (index <= HIST_LOG_BUCKETS && ms >= bucketLowerBound(index + 1)) return index + 1;
  return Math.min(index, HIST_LENGTH - 1);
}

export function bucketLowerBound(index: number): number {
  if (index <= 0) return 0;
  return HIST_RATIO ** (index - 1);
}

/** The value a percentile falling into this bucket reports. */
export function bucketRepresentative(index: number): number {
  if (index <= 0) return 0;
  if (index >= HIST_LENGTH - 1) return bucketLowerBound(HIST_LENGTH - 1);
  return HIST_RATIO ** (index - 0.5);
}

export function emptyHistogram(): number[] {
  return new Array<number>(HIST_LENGTH).fill(0);
}

export function addToHistogram(histogram: number[], ms: number): void {
  const index = bucketIndex(ms);
  histogram[index] = (histogram[index] ?? 0) + 1;
}

/** Element-wise sum; accepts bigint/string counts as they come back from PostgreSQL int8[]. */
export function mergeHistograms(target: number[], source: readonly (number | string | bigint)[] | null | undefined): number[] {
  if (!source) return target;
  for (let i = 0; i < source.length && i < HIST_LENGTH; i += 1) {
    const count = Number(source[i]);
    if (count) target[i] = (target[i] ?? 0) + count;
  }
  return target;
}
