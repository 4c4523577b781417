import { describe, expect, it } from "vitest";
import {
  addEncoded,
  addToHistogram,
  bucketIndex,
  bucketRange,
  emptyHistogram,
  encodeHistogram,
  HIST_BOUNDS,
  HIST_LENGTH,
  histogramTotal,
  OVERFLOW_BUCKET,
} from "./histogram";
import { latencyPercentiles, percentileFromHistogram } from "@/lib/charts/percentiles";
import { prng } from "../../scripts/bench-data";

/** percentile_cont over raw values, as PostgreSQL computes it. */
function exactPercentile(sorted: number[], p: number): number {
  const rank = (sorted.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (rank - lower) * (sorted[upper]! - sorted[lower]!);
}

function histogramOf(values: number[]) {
  const histogram = emptyHistogram();
  for (const value of values) addToHistogram(histogram, value);
  return histogram;
}

describe("whole-millisecond latency buckets", () => {
  it("puts every value in the bucket whose range holds it", () => {
    for (let ms = 0; ms < 700_000; ms = ms < 300 ? ms + 1 : Math.ceil(ms * 1.003)) {
      const { low, high } = bucketRange(bucketIndex(ms));
      expect(ms).toBeGreaterThanOrEqual(low);
      if (bucketIndex(ms) !== OVERFLOW_BUCKET) expect(ms).toBeLessThanOrEqual(high);
    }
  });

  it("keeps every bucket narrower than 2 % of its lower bound, exact below 100 ms", () => {
    expect(HIST_LENGTH).toBeLessThan(560);
    for (let index = 1; index < OVERFLOW_BUCKET; index += 1) {
      const { low, high } = bucketRange(index);
      expect((high - low) / low).toBeLessThan(0.02);
      if (low < 100) expect(high).toBe(low);
    }
    expect(HIST_BOUNDS[OVERFLOW_BUCKET]).toBeGreaterThan(600_000);
  });

  it("maps zero, negatives and huge values to the first and the overflow bucket", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(-5)).toBe(0);
    expect(bucketIndex(3_600_000)).toBe(OVERFLOW_BUCKET);
  });

  it("round-trips through the sparse encoding, adding into an existing histogram", () => {
    const a = histogramOf([1, 1, 250, 250, 250, 9000, 700_000]);
    const encoded = encodeHistogram(a);
    expect(encoded.byteLength).toBe(4 * 6);
    const sum = addEncoded(histogramOf([250]), encoded);
    expect(histogramTotal(sum)).toBe(8);
    expect(sum[bucketIndex(250)]).toBe(4);
    expect(addEncoded(emptyHistogram(), null).every((count) => count === 0)).toBe(true);
  });
});

describe("percentiles from histograms", () => {
  const distributions: Record<string, (random: () => number) => number> = {
    // Log-normal around 900 ms: typical LLM latency.
    lognormal: (random) =>
      Math.round(900 * Math.exp(0.6 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))),
    // Heavy right tail (Pareto): most requests fast, a few very slow.
    pareto: (random) => Math.round(120 / Math.pow(1 - random(), 1 / 1.3)),
    // Two modes: cache hits at ~40 ms and full generations at ~4 s.
    bimodal: (random) => (random() < 0.7 ? 30 + Math.floor(random() * 20) : Math.round(3000 + random() * 2500)),
    // Small integers, where ties dominate.
    tiny: (random) => Math.floor(random() * 12),
  };

  for (const [name, draw] of Object.entries(distributions)) {
    for (const size of [1, 2, 7, 500, 3000]) {
      it(`agrees with percentile_cont within 2 % (${name}, ${size} samples)`, () => {
        const random = prng(size * 31 + name.length);
        const values = Array.from({ length: size }, () => Math.min(500_000, Math.max(0, draw(random))));
        const sorted = [...values].sort((a, b) => a - b);
        const histogram = histogramOf(values);
        for (const p of [0, 0.5, 0.9, 0.95, 0.99, 1]) {
          const exact = exactPercentile(sorted, p);
          const estimate = percentileFromHistogram(histogram, p)!;
          if (exact === 0) expect(estimate).toBe(0);
          else expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.02);
        }
      });
    }
  }

  it("is exact below 100 ms", () => {
    const values = [3, 5, 5, 8, 13, 21, 34, 55, 89];
    const percentiles = latencyPercentiles(histogramOf(values));
    expect(percentiles.p50).toBe(13);
    expect(percentiles.p95).toBeCloseTo(exactPercentile(values, 0.95), 10);
  });

  it("reports no data as null, not zero", () => {
    expect(latencyPercentiles(emptyHistogram())).toEqual({ p50: null, p95: null, p99: null });
  });
});
