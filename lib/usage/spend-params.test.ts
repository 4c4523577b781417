import { describe, expect, it } from "vitest";
import { parseSpendParams, rangeOf, spendSearch } from "./spend-params";

const now = new Date("2026-11-26T15:00:00Z");

describe("spend URL params", () => {
  it("defaults to the last 30 days by day and provider", () => {
    expect(parseSpendParams({}, now)).toMatchObject({
      from: "2026-10-28",
      to: "2026-11-26",
      period: "day",
      by: "provider",
    });
  });

  it("ignores invalid values instead of failing the page", () => {
    const params = parseSpendParams(
      { from: "yesterday", period: "decade", by: "colour", provider: "x'; drop", tag: "checkout" },
      now,
    );
    expect(params).toMatchObject({
      from: "2026-10-28",
      period: "day",
      by: "provider",
      provider: undefined,
      tag: "checkout",
    });
  });

  it("swaps reversed ranges and makes `to` inclusive", () => {
    const params = parseSpendParams({ from: "2026-11-10", to: "2026-11-01" }, now);
    expect(params).toMatchObject({ from: "2026-11-01", to: "2026-11-10" });
    expect(rangeOf(params).to.toISOString()).toBe("2026-11-11T00:00:00.000Z");
  });

  it("round-trips through the query string", () => {
    const params = parseSpendParams({ from: "2026-11-01", to: "2026-11-10", period: "week", by: "tag" }, now);
    expect(parseSpendParams(Object.fromEntries(new URLSearchParams(spendSearch(params))), now)).toEqual(params);
  });

  it("stacks and filters by team and gateway key; the nil UUID is the no-team / direct filter", () => {
    const team = "3f1c2a4e-8b7d-4c6a-9e5f-1a2b3c4d5e6f";
    const nil = "00000000-0000-0000-0000-000000000000";
    expect(parseSpendParams({ by: "team", team, gatewayKey: nil }, now)).toMatchObject({
      by: "team",
      team,
      gatewayKey: nil,
    });
    expect(parseSpendParams({ by: "gatewayKey" }, now).by).toBe("gatewayKey");
    expect(parseSpendParams({ by: "gateway_key", team: "all teams", gatewayKey: "pcgw-abcd" }, now)).toMatchObject({
      by: "provider",
      team: undefined,
      gatewayKey: undefined,
    });
  });

  it("keeps team and gateway key filters through the query string", () => {
    const params = parseSpendParams(
      {
        by: "gatewayKey",
        team: "3f1c2a4e-8b7d-4c6a-9e5f-1a2b3c4d5e6f",
        gatewayKey: "00000000-0000-0000-0000-000000000000",
      },
      now,
    );
    expect(parseSpendParams(Object.fromEntries(new URLSearchParams(spendSearch(params))), now)).toEqual(params);
  });
});
