import { describe, expect, it } from "vitest";
import { lossSeries } from "@/lib/fine-tuning/loss-series";

describe("lossSeries", () => {
  it("orders by step, drops events without step or loss, keeps the newest per step", () => {
    expect(
      lossSeries([
        { step: 3, trainLoss: 1.5, validLoss: null },
        { step: null, trainLoss: null, validLoss: null },
        { step: 1, trainLoss: 2.5, validLoss: 2.7 },
        { step: 2, trainLoss: null, validLoss: null },
        { step: 3, trainLoss: 1.4, validLoss: 1.6 },
        { step: 4, trainLoss: Number.NaN, validLoss: null },
      ]),
    ).toEqual([
      { step: 1, trainLoss: 2.5, validLoss: 2.7 },
      { step: 3, trainLoss: 1.4, validLoss: 1.6 },
    ]);
  });
});
