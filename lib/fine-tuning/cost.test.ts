import { describe, expect, it } from "vitest";
import { trainingCost } from "@/lib/fine-tuning/cost";

describe("trainingCost", () => {
  it("multiplies exactly: 1,234,567 tokens × 3 epochs × $25/1M = $92.592525", () => {
    expect(trainingCost(1_234_567, 3, "25.000000")).toBe("92.5925250000");
  });
  it("keeps sub-cent precision to 1e-10 and rounds half up once", () => {
    // 1 token × 1 epoch × $0.000001/1M = 1e-12 → rounds to 0; 50 tokens → 5e-11 → 1e-10.
    expect(trainingCost(1, 1, "0.000001")).toBe("0.0000000000");
    expect(trainingCost(50, 1, "0.000001")).toBe("0.0000000001");
    expect(trainingCost(7, 2, "0.1")).toBe("0.0000014000");
  });
  it("is unpriced (null), never 0, without a price", () => {
    expect(trainingCost(1000, 3, null)).toBeNull();
  });
});
