import { describe, expect, it } from "vitest";
import { buildRollupDeltas, bucketStart, NONE_ID, type RollupSource } from "./rollup-groups";

const base: RollupSource = {
  occurredAt: new Date("2026-11-20T10:15:00Z"), providerId: "11111111-1111-4111-8111-111111111111", modelId: null, keyId: null, tag: "",
  inputTokens: 100, cachedInputTokens: 0, outputTokens: 50, latencyMs: 400, ttftMs: null, status: "OK", errorClass: null, cost: "0.0000150000",
};

describe("rollup deltas", () => {
  it("buckets by UTC hour and day", () => {
    expect(bucketStart(new Date("2026-11-20T10:59:59.999Z"), "hour").toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(bucketStart(new Date("2026-11-20T23:59:59.999Z"), "day").toISOString()).toBe("2026-11-20T00:00:00.000Z");
  });

  it("sums counts, tokens and exact cost per group and counts unpriced separately", () => {
    const deltas = buildRollupDeltas(
      [base, { ...base, cost: "0.1" }, { ...base, cost: null, status: "ERROR", errorClass: "rate_limit", ttftMs: 120 }],
      "hour",
    );
    expect(deltas).toHaveLength(1);
    const [delta] = deltas;
    expect(delta).toMatchObject({ model_id: NONE_ID, key_id: NONE_ID, requests: 3, errors: 1, errors_by_class: { rate_limit: 1 }, input_tokens: 300, output_tokens: 150, unpriced_count: 1, cost_sum: "0.1000150000", ttft_count: 1, latency_sum_ms: 1200 });
    expect(delta!.latency_hist.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("splits groups by hour and returns them in a stable order", () => {
    const later = { ...base, occurredAt: new Date("2026-11-20T11:00:00Z") };
    const hourly = buildRollupDeltas([later, base], "hour");
    expect(hourly.map((d) => d.bucket)).toEqual(["2026-11-20T10:00:00.000Z", "2026-11-20T11:00:00.000Z"]);
    expect(buildRollupDeltas([later, base], "day")).toHaveLength(1);
  });
});
