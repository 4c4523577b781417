import { describe, expect, test } from "vitest";
import { maxCostDecimal } from "@/lib/gateway/cost-estimate";
import type { GatewayPrice } from "@/lib/gateway/catalog-cache";

const maxCost = (price: GatewayPrice, prompt: number, output: number) =>
  maxCostDecimal(price, prompt, output).toFixed(10);

describe("maxCostDecimal", () => {
  test("prices prompt and output tokens per million, rounded up at the tenth decimal place", () => {
    const price = { inputPerMTok: "2.5", outputPerMTok: "10", cachedInputPerMTok: null };
    // 12 × 2.5 + 4096 × 10 = 40,990 per million tokens.
    expect(maxCost(price, 12, 4096)).toBe("0.0409900000");
    // 1 token at $0.00000001 per million is 1e-14: never rounded down to a free request.
    expect(maxCost({ inputPerMTok: "0.00000001", outputPerMTok: "0", cachedInputPerMTok: null }, 1, 0)).toBe(
      "0.0000000001",
    );
  });

  test("a price object gives the same answer every time, and a new price object its own", () => {
    const price = { inputPerMTok: "3", outputPerMTok: "15", cachedInputPerMTok: null };
    expect(maxCostDecimal(price, 1000, 1000).toFixed(10)).toBe("0.0180000000");
    expect(maxCostDecimal(price, 1000, 1000).toFixed(10)).toBe("0.0180000000");
    expect(maxCost({ ...price, outputPerMTok: "60" }, 1000, 1000)).toBe("0.0630000000");
  });
});
