import { describe, expect, it } from "vitest";
import { formatPerMinute, minuteSeries, minuteWindow } from "./minute-series";

const now = new Date("2026-12-02T10:30:45.500Z");
const minuteOf = (iso: string) => Date.parse(iso) / 60_000;

describe("gateway requests per minute", () => {
  it("covers the 60 whole minutes before the current one", () => {
    const window = minuteWindow(now);
    expect(window.from.toISOString()).toBe("2026-12-02T09:30:00.000Z");
    expect(window.to.toISOString()).toBe("2026-12-02T10:30:00.000Z");
  });

  it("fills idle minutes with zeros and averages over the whole window", () => {
    const window = minuteWindow(now);
    const series = minuteSeries(
      [
        { minute: minuteOf("2026-12-02T09:30:00Z"), requests: 30, errors: 3, cancelled: 1 },
        { minute: minuteOf("2026-12-02T10:29:00Z"), requests: 6, errors: 0, cancelled: 0 },
      ],
      window,
    );
    expect(series.points).toHaveLength(60);
    expect(series.points[0]).toEqual({ at: "2026-12-02T09:30:00.000Z", requests: 30, errors: 3 });
    expect(series.points[1]).toEqual({ at: "2026-12-02T09:31:00.000Z", requests: 0, errors: 0 });
    expect(series.points[59]).toEqual({ at: "2026-12-02T10:29:00.000Z", requests: 6, errors: 0 });
    expect(series).toMatchObject({ requests: 36, errors: 3, cancelled: 1, perMinute: 0.6, peakPerMinute: 30 });
    expect(series.lastMinute).toBe(6);
  });

  it("ignores rows outside the window: the still-filling minute and the one before the window", () => {
    const window = minuteWindow(now);
    const series = minuteSeries(
      [
        { minute: minuteOf("2026-12-02T09:29:00Z"), requests: 100, errors: 100, cancelled: 0 },
        { minute: minuteOf("2026-12-02T10:30:00Z"), requests: 50, errors: 0, cancelled: 0 },
      ],
      window,
    );
    expect(series).toMatchObject({ requests: 0, errors: 0, perMinute: 0, peakPerMinute: 0, lastMinute: 0 });
  });

  it("formats a rate so that a quiet hour still shows", () => {
    expect(formatPerMinute(0)).toBe("0.00/min");
    expect(formatPerMinute(1 / 60)).toBe("0.02/min");
    expect(formatPerMinute(12.345)).toBe("12.3/min");
    expect(formatPerMinute(1234.5)).toBe("1,235/min");
  });
});
