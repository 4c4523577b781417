import { describe, expect, it } from "vitest";
import { fromUnits, roundToCents, sumDecimals, toUnits } from "./money";

describe("exact money arithmetic", () => {
  it("sums decimal strings without float error", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3000000000");
    expect(sumDecimals(Array.from({ length: 1000 }, () => "0.0000000001"))).toBe("0.0000001000");
  });

  it("round-trips values at full DECIMAL(30,10) scale", () => {
    const big = "12345678901234567890.1234567891";
    expect(fromUnits(toUnits(big))).toBe(big);
    expect(fromUnits(toUnits("-3.5"))).toBe("-3.5000000000");
  });

  it("rejects non-decimals and extra precision", () => {
    expect(() => toUnits("1e3")).toThrow();
    expect(() => toUnits("0.00000000001")).toThrow();
    expect(toUnits("1.50000000000000")).toBe(15000000000n);
  });

  it("rounds to cents half-up once, at the end", () => {
    expect(roundToCents("0.005")).toBe("0.01");
    expect(roundToCents("0.0049999999")).toBe("0.00");
    expect(roundToCents("1234.565")).toBe("1234.57");
    expect(roundToCents("-0.001")).toBe("0.00");
  });
});
