import { describe, expect, it } from "vitest";
import { chartPoints, stackSeries, sumCells } from "./stack-series";

const rows = [
  { period: "2026-11-01", seriesId: "a", cost: "0.1000000000", unpriced: 0, estimated: 1, requests: 1 },
  { period: "2026-11-01", seriesId: "b", cost: "0.2000000000", unpriced: 2, estimated: 0, requests: 5 },
  { period: "2026-11-02", seriesId: "a", cost: "1.0000000001", unpriced: 0, estimated: 2, requests: 3 },
];

describe("stacked spend series", () => {
  it("totals exactly per series, per period and overall", () => {
    const stacked = stackSeries(rows, (id) => id.toUpperCase());
    expect(stacked.periods).toEqual(["2026-11-01", "2026-11-02"]);
    expect(stacked.series.map((s) => [s.id, s.label, s.total, s.estimated])).toEqual([
      ["a", "A", "1.1000000001", 3],
      ["b", "B", "0.2000000000", 0],
    ]);
    expect(stacked.periodTotals["2026-11-01"]).toEqual({
      cost: "0.3000000000",
      unpriced: 2,
      estimated: 1,
      requests: 6,
    });
    expect(stacked.total).toEqual({ cost: "1.3000000001", unpriced: 2, estimated: 3, requests: 9 });
  });

  it("fills missing cells with zero height for the chart", () => {
    expect(chartPoints(stackSeries(rows, (id) => id))[1]).toEqual({ period: "2026-11-02", a: 1.0000000001, b: 0 });
  });

  it("orders series by exact total, so amounts a float cannot tell apart still rank, then by label", () => {
    const close = [
      // …9920001 and …9920000 are the same double: a float compare would tie them and put a-low first.
      {
        period: "2026-11-01",
        seriesId: "a-low",
        cost: "9007199254.7409920000",
        unpriced: 0,
        estimated: 0,
        requests: 1,
      },
      {
        period: "2026-11-01",
        seriesId: "z-high",
        cost: "9007199254.7409920001",
        unpriced: 0,
        estimated: 0,
        requests: 1,
      },
      { period: "2026-11-01", seriesId: "tie-b", cost: "1", unpriced: 0, estimated: 0, requests: 1 },
      { period: "2026-11-01", seriesId: "tie-a", cost: "1", unpriced: 0, estimated: 0, requests: 1 },
    ];
    expect(stackSeries(close, (id) => id).series.map((s) => s.id)).toEqual(["z-high", "a-low", "tie-a", "tie-b"]);
  });

  it("sums no cells to zero", () => {
    expect(sumCells([])).toEqual({ cost: "0.0000000000", unpriced: 0, estimated: 0, requests: 0 });
  });
});
