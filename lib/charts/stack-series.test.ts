import { describe, expect, it } from "vitest";
import { chartPoints, stackSeries } from "./stack-series";

const rows = [
  { period: "2026-11-01", seriesId: "a", cost: "0.1000000000", unpriced: 0, requests: 1 },
  { period: "2026-11-01", seriesId: "b", cost: "0.2000000000", unpriced: 2, requests: 5 },
  { period: "2026-11-02", seriesId: "a", cost: "1.0000000001", unpriced: 0, requests: 3 },
];

describe("stacked spend series", () => {
  it("totals exactly per series, per period and overall", () => {
    const stacked = stackSeries(rows, (id) => id.toUpperCase());
    expect(stacked.periods).toEqual(["2026-11-01", "2026-11-02"]);
    expect(stacked.series.map((s) => [s.id, s.label, s.total])).toEqual([
      ["a", "A", "1.1000000001"],
      ["b", "B", "0.2000000000"],
    ]);
    expect(stacked.periodTotals["2026-11-01"]).toEqual({ cost: "0.3000000000", unpriced: 2, requests: 6 });
    expect(stacked.total).toEqual({ cost: "1.3000000001", unpriced: 2, requests: 9 });
  });

  it("fills missing cells with zero height for the chart", () => {
    expect(chartPoints(stackSeries(rows, (id) => id))[1]).toEqual({ period: "2026-11-02", a: 1.0000000001, b: 0 });
  });
});
