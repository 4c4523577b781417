import { describe, expect, it } from "vitest";
import { routeLatencySeries, type RouteRollupRow } from "@/lib/routes/latency-series";

const FROM = new Date("2026-12-01T10:30:00Z"); // the window starts at the whole hour, 10:00
const at = (hour: number) => new Date(Date.UTC(2026, 11, 1, hour));
const row = (hour: number, targetKey: string, values: Partial<RouteRollupRow>): RouteRollupRow => ({
  bucket: at(hour),
  targetKey,
  requests: 0,
  errors: 0,
  latencySumMs: 0,
  ttftCount: 0,
  ttftSumMs: 0,
  ...values,
});
const targets = [
  { targetKey: "p1:m1", label: "Acme / fast" },
  { targetKey: "p2:m2", label: "Beta / slow" },
];

describe("routeLatencySeries", () => {
  it("averages latency over requests and TTFT over requests that had one, per target", () => {
    const series = routeLatencySeries(
      [
        row(10, "p1:m1", { requests: 4, errors: 1, latencySumMs: 1000, ttftCount: 2, ttftSumMs: 300 }),
        row(11, "p1:m1", { requests: 6, latencySumMs: 2000, ttftCount: 2, ttftSumMs: 100 }),
        row(11, "p2:m2", { requests: 3, errors: 3, latencySumMs: 9000 }),
      ],
      targets,
      { from: FROM, hours: 3 },
      () => "unused",
    );
    expect(series.table).toEqual([
      {
        targetKey: "p1:m1",
        label: "Acme / fast",
        current: true,
        requests: 10,
        errors: 1,
        avgLatencyMs: 300,
        avgTtftMs: 100,
      },
      {
        targetKey: "p2:m2",
        label: "Beta / slow",
        current: true,
        requests: 3,
        errors: 3,
        avgLatencyMs: 3000,
        avgTtftMs: null,
      },
    ]);
    expect(series.chartRows).toEqual([
      { period: "10:00", "p1:m1": 250, "p2:m2": null },
      { period: "11:00", "p1:m1": 333, "p2:m2": 3000 },
      { period: "12:00", "p1:m1": null, "p2:m2": null },
    ]);
  });

  it("leaves out buckets outside the window and lists targets of older versions after the current ones", () => {
    const series = routeLatencySeries(
      [
        row(9, "p1:m1", { requests: 100, latencySumMs: 100_000 }),
        row(10, "old:gone", { requests: 2, latencySumMs: 50 }),
        row(13, "p1:m1", { requests: 100, latencySumMs: 100_000 }),
      ],
      targets,
      { from: FROM, hours: 3 },
      (key) => `label of ${key}`,
    );
    expect(series.table.map((t) => [t.targetKey, t.label, t.current, t.requests, t.avgLatencyMs])).toEqual([
      ["p1:m1", "Acme / fast", true, 0, null],
      ["p2:m2", "Beta / slow", true, 0, null],
      ["old:gone", "label of old:gone", false, 2, 25],
    ]);
    expect(series.series.map((s) => s.id)).toEqual(["p1:m1", "p2:m2", "old:gone"]);
  });
});
