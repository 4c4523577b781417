import { describe, expect, it } from "vitest";
import { budgetLevel, budgetPercent, burnDown, forecastMonthEnd, monthWindow } from "./budget-math";

describe("month windows", () => {
  it("knows month lengths and how far in we are (UTC)", () => {
    const window = monthWindow(new Date("2026-11-16T00:00:00Z"));
    expect(window).toMatchObject({ month: "2026-11", days: 30 });
    expect(window.elapsedMs / window.lengthMs).toBe(0.5);
    expect(monthWindow(new Date("2028-02-10T00:00:00Z")).days).toBe(29);
  });
});

describe("month-end forecast", () => {
  it("extends the month-to-date spend at the same rate, exactly", () => {
    expect(forecastMonthEnd("100.0000000000", new Date("2026-11-16T00:00:00Z"))).toBe("200.0000000000");
    // 10 days of 31: $31 → $96.10.
    expect(forecastMonthEnd("31", new Date("2026-12-11T00:00:00Z"))).toBe("96.1000000000");
    expect(forecastMonthEnd("0", new Date("2026-11-20T00:00:00Z"))).toBe("0.0000000000");
  });

  it("does not guess in the first hour of the month", () => {
    expect(forecastMonthEnd("5", new Date("2026-11-01T00:20:00Z"))).toBeNull();
  });
});

describe("budget thresholds", () => {
  it("reaches 80 % and 100 % exactly at the boundary", () => {
    expect(budgetLevel("79.9999999999", "100")).toBe(0);
    expect(budgetLevel("80", "100.00")).toBe(80);
    expect(budgetLevel("99.99", "100")).toBe(80);
    expect(budgetLevel("100", "100")).toBe(100);
    expect(budgetLevel("250", "100")).toBe(100);
    expect(budgetPercent("84.25", "100")).toBe(84.2);
  });
});

describe("burn-down", () => {
  it("accumulates daily spend against the straight line to zero", () => {
    const points = burnDown(
      "300",
      new Map([
        ["2026-11-01", "12.5"],
        ["2026-11-03", "7.5"],
      ]),
      new Date("2026-11-03T12:00:00Z"),
    );
    expect(points.map((p) => [p.day, p.spent, p.remaining])).toEqual([
      ["2026-11-01", "12.5000000000", "287.5000000000"],
      ["2026-11-02", "12.5000000000", "287.5000000000"],
      ["2026-11-03", "20.0000000000", "280.0000000000"],
    ]);
    expect(points[0]!.ideal).toBe("290.0000000000");
  });
});
