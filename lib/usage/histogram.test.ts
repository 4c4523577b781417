import { describe, expect, it } from "vitest";
import { addToHistogram, bucketIndex, bucketLowerBound, bucketRepresentative, emptyHistogram, HIST_LENGTH } from "./histogram";
import { latencyPercentiles, percentileFromHistogram } from "@/lib/charts/percentiles";

describe("log-spaced latency buckets", () => {
  it("puts every value in the bucket whose bounds contain it", () => {
    for (const ms of [1, 2, 3, 7, 10, 99, 100, 101, 250, 1000, 12_345, 599_999]) {
      const index = bucketIndex(ms);
      expect(ms).toBeGreaterThanOrEqual(bucketLowerBound(index));
      expect(ms).toBeLessThan(bucketLowerBound(index + 1));
    }
  });

  it("keeps the representative within 1 % of any value in its bucket", () => {
    for (let ms = 1; ms < 600_000; ms = Math.ceil(ms * 1.013)) {
      const representative = bucketRepresentative(bucketIndex(ms));
      expect(Math.abs(representative - ms) / ms).toBeLessThan(0.01);
    }
  });

  it("maps zero and sub-millisecond values to bucket 0 and huge ones to the overflow bucket", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(0.4)).toBe(0);
    expect(bucketIndex(3_600_000)).toBe(HIST_LENGTH - 1);
  });
});

describe("percentiles from histograms", () => {
  it("agrees with exact order statistics within 2 %", () => {
    const values = Array.from({ length: 20_000 }, (_, i) => Math.round(200 + 3000 * ((i * 7919) % 20_000) ** 2 / 4e8));
    const histogram = emptyHistogram();
    for (const value of values) addToHistogram(histogram, value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(p * sorted.length) - 1]!;
      const estimate = percentileFromHistogram(histogram, p)!;
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.02);
    }
  });

  it("reports no data as null, not zero", () => {
    expect(latencyPercentiles(emptyHistogram())).toEqual({ p50: null, p95: null, p99: null });
  });
});
