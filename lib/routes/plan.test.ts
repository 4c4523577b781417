import { describe, expect, it } from "vitest";
import { planTargets, weightedOrder } from "@/lib/routes/plan";

const t = (name: string, weight = 1) => ({ name, weight });

function seq(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe("planTargets", () => {
  it("keeps a fallback route's order", () => {
    const plan = planTargets("FALLBACK", [{ targets: [t("a"), t("b"), t("c")] }], seq([0.99]));
    expect(plan.map((x) => x.name)).toEqual(["a", "b", "c"]);
  });

  it("draws load-balanced targets by weight, each once", () => {
    // Weights 3 and 1: a draw below 0.75 picks the first, above it the second.
    expect(weightedOrder([t("a", 3), t("b", 1)], seq([0.5])).map((x) => x.name)).toEqual(["a", "b"]);
    expect(weightedOrder([t("a", 3), t("b", 1)], seq([0.8])).map((x) => x.name)).toEqual(["b", "a"]);
  });

  it("shares traffic in proportion to the weights", () => {
    let state = 42;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i += 1)
      counts[planTargets("LOAD_BALANCE", [{ targets: [t("a", 3), t("b", 1)] }], random)[0]!.name as "a" | "b"] += 1;
    expect(counts.a / 10_000).toBeGreaterThan(0.72);
    expect(counts.a / 10_000).toBeLessThan(0.78);
  });

  it("falls back group by group, balancing inside each", () => {
    const plan = planTargets(
      "FALLBACK_GROUPS",
      [{ targets: [t("a", 1), t("b", 1)] }, { targets: [t("c")] }],
      seq([0.9, 0.1]),
    );
    expect(plan.map((x) => x.name)).toEqual(["b", "a", "c"]);
  });
});
