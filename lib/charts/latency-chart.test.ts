import { describe, expect, it } from "vitest";
import { costPerThousand, errorRateByClass, percent, percentileLines, periodLabel } from "./latency-chart";
import type { LatencyGroup } from "@/lib/usage/latency-aggregate";

const group = (
  period: string,
  seriesId: string,
  requests: number,
  errorsByClass: Record<string, number>,
): LatencyGroup => ({
  period,
  seriesId,
  requests,
  errors: Object.values(errorsByClass).reduce((a, b) => a + b, 0),
  errorsByClass,
  latencyParts: [],
  ttftParts: [],
});

describe("latency chart series", () => {
  it("labels hours and days", () => {
    expect(periodLabel("2026-11-20T10:00:00Z", "hour")).toBe("11-20 10:00");
    expect(periodLabel("2026-11-20T00:00:00Z", "day")).toBe("2026-11-20");
  });

  it("draws one line per series and leaves gaps (null) where a series had no requests", () => {
    const { series, rows } = percentileLines(
      [
        { period: "2026-11-20T00:00:00Z", seriesId: "b", count: 3, p50: 100.04, p95: 210.26, p99: 250 },
        { period: "2026-11-21T00:00:00Z", seriesId: "a", count: 1, p50: 90, p95: 90, p99: 90 },
      ],
      "p95",
      "day",
      (id) => id.toUpperCase(),
    );
    expect(series).toEqual([
      { id: "a", label: "A" },
      { id: "b", label: "B" },
    ]);
    expect(rows).toEqual([
      { period: "2026-11-20", a: null, b: 210.3 },
      { period: "2026-11-21", a: 90, b: null },
    ]);
  });

  it("turns error counts into per-class rates per period, busiest class first", () => {
    const result = errorRateByClass(
      [
        group("d1", "x", 100, { timeout: 1, rate_limit: 3 }),
        group("d1", "y", 100, { rate_limit: 1 }),
        group("d2", "x", 50, {}),
      ],
      "day",
    );
    expect(result.classes.map((c) => [c.id, c.count])).toEqual([
      ["rate_limit", 4],
      ["timeout", 1],
    ]);
    expect(result.rows).toEqual([
      { period: "d1", rate_limit: 2, timeout: 0.5 },
      { period: "d2", rate_limit: 0, timeout: 0 },
    ]);
    expect(result.requests).toBe(250);
  });

  it("prices 1,000 requests exactly, and says nothing when none was priced", () => {
    expect(costPerThousand("1.2345000000", 3)).toBe("411.50");
    expect(costPerThousand("0.0000100000", 7)).toBe("0.00");
    expect(costPerThousand("5", 0)).toBeNull();
    expect(percent(1, 3)).toBe("33.33 %");
    expect(percent(1, 0)).toBe("—");
  });
});
