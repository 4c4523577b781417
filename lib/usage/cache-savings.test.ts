import { describe, expect, it } from "vitest";
import { savingsSentence, totalSavings } from "@/lib/usage/cache-savings";

describe("cache savings", () => {
  it("sums saved costs exactly, with no float drift over many small amounts", () => {
    const rows = Array.from({ length: 10 }, () => ({ savedCostSum: "0.1000000001", cachedCount: 3 }));
    expect(totalSavings(rows)).toEqual({ saved: "1.0000000010", cachedAnswers: 30 });
  });

  it("says how much the cache saved over how many answers, rounded to cents once", () => {
    const savings = totalSavings([
      { savedCostSum: "1234.004", cachedCount: 1000 },
      { savedCostSum: "0.002", cachedCount: 24 },
    ]);
    expect(savingsSentence(savings)).toBe("Saved by the cache: $1,234.01 over 1,024 cached answers");
  });

  it("uses the singular for one cached answer and says nothing when the cache answered nothing", () => {
    expect(savingsSentence({ saved: "0.0040000000", cachedAnswers: 1 })).toBe(
      "Saved by the cache: $0.00 over 1 cached answer",
    );
    expect(savingsSentence(totalSavings([]))).toBeNull();
  });
});
