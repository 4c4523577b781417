import { describe, expect, it } from "vitest";
import { formatPrice, parsePrice } from "@/lib/providers/price";
import { priceInForce, priceStatus, scheduledPrices } from "@/lib/providers/price-in-force";

describe("price parsing", () => {
  it.each([
    ["2.50", "2.5"],
    ["0", "0"],
    ["0.000001", "0.000001"],
    [" 15 ", "15"],
    ["$3.75", "3.75"],
    ["999999999999.999999", "999999999999.999999"],
  ])("accepts %s exactly", (input, canonical) => {
    const parsed = parsePrice(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.toFixed()).toBe(canonical);
  });

  it("keeps decimal arithmetic exact where floats would not", () => {
    const a = parsePrice("0.1");
    const b = parsePrice("0.2");
    if (!a.ok || !b.ok) throw new Error("parse failed");
    expect(a.value.plus(b.value).toFixed()).toBe("0.3");
  });

  it.each([
    ["", /Enter a price/],
    ["-1", /negative/],
    ["1.0000001", /6 decimal/],
    ["1e3", /plain decimal/],
    ["NaN", /plain decimal/],
    ["Infinity", /plain decimal/],
    ["1,5", /plain decimal/],
    [".5", /plain decimal/],
    ["1000000000000", /too large/],
  ])("refuses %s", (input, message) => {
    const parsed = parsePrice(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it("formats with at least two decimals and no float noise", () => {
    expect(formatPrice("2.5")).toBe("2.50");
    expect(formatPrice("0.000125")).toBe("0.000125");
    expect(formatPrice("10")).toBe("10.00");
    expect(formatPrice(null)).toBe("—");
  });
});

describe("price in force", () => {
  const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
  const prices = [
    { effectiveFrom: day("2026-01-01"), v: "a" },
    { effectiveFrom: day("2026-06-01"), v: "c" },
    { effectiveFrom: day("2026-03-01"), v: "b" },
  ];

  it("picks the latest price that has started, whatever the row order", () => {
    expect(priceInForce(prices, day("2026-04-15"))?.v).toBe("b");
    expect(priceInForce(prices, day("2026-06-01"))?.v).toBe("c");
    expect(priceInForce(prices, new Date("2026-05-31T23:59:59.999Z"))?.v).toBe("b");
  });

  it("has no price before the first one and none for an empty history", () => {
    expect(priceInForce(prices, day("2025-12-31"))).toBeNull();
    expect(priceInForce([], day("2026-01-01"))).toBeNull();
  });

  it("labels scheduled, in-force and superseded rows", () => {
    const at = day("2026-04-15");
    expect(scheduledPrices(prices, at).map((p) => p.v)).toEqual(["c"]);
    expect(prices.map((p) => priceStatus(p, prices, at))).toEqual(["superseded", "scheduled", "in-force"]);
  });
});
