import { describe, expect, it } from "vitest";
import { latencyQuery, latencySearch, latencyStep, parseLatencyParams } from "./latency-params";

const now = new Date("2026-11-26T15:00:00Z");

describe("latency URL params", () => {
  it("defaults to 30 days by provider, daily, p95", () => {
    const params = parseLatencyParams({}, now);
    expect(params).toMatchObject({ from: "2026-10-28", to: "2026-11-26", by: "provider", per: "auto", pct: "p95" });
    expect(latencyStep(params)).toBe("day");
  });

  it("steps hourly for short ranges unless told otherwise", () => {
    expect(latencyStep(parseLatencyParams({ from: "2026-11-25", to: "2026-11-26" }, now))).toBe("hour");
    expect(latencyStep(parseLatencyParams({ from: "2026-11-25", to: "2026-11-26", per: "day" }, now))).toBe("day");
  });

  it("ignores invalid values and round-trips through the query string", () => {
    const params = parseLatencyParams(
      { by: "tag", pct: "p42", per: "minute", provider: "nope", model: "11111111-1111-4111-8111-111111111111" },
      now,
    );
    expect(params).toMatchObject({ by: "provider", pct: "p95", per: "auto", provider: undefined });
    expect(parseLatencyParams(Object.fromEntries(new URLSearchParams(latencySearch(params))), now)).toEqual(params);
    expect(latencySearch(params, { pct: "p99" })).toContain("pct=p99");
  });

  it("queries whole UTC days, to inclusive", () => {
    const query = latencyQuery(parseLatencyParams({ from: "2026-11-01", to: "2026-11-02", by: "model" }, now));
    expect(query).toMatchObject({ granularity: "hour", groupBy: "model" });
    expect([query.from.toISOString(), query.to.toISOString()]).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-11-03T00:00:00.000Z",
    ]);
  });
});
