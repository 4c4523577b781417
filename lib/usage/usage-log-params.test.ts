import { describe, expect, it } from "vitest";
import { NONE_ID } from "@/lib/usage/buckets";
import { parseUsageLogParams, usageLogFilters, usageLogSearch } from "@/lib/usage/usage-log-params";

const now = new Date("2026-11-20T12:00:00Z");
const TEAM = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";
const KEY = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

describe("usage log URL parameters", () => {
  it("reads the gateway key and team filters, the nil UUID included", () => {
    expect(usageLogFilters(parseUsageLogParams({ team: TEAM, gatewayKey: KEY }, now))).toMatchObject({
      teamId: TEAM,
      gatewayKeyId: KEY,
    });
    expect(usageLogFilters(parseUsageLogParams({ gatewayKey: NONE_ID }, now)).gatewayKeyId).toBe(NONE_ID);
  });

  it("drops a team or gateway key that is not a UUID instead of failing", () => {
    const filters = usageLogFilters(parseUsageLogParams({ team: "search", gatewayKey: "' OR 1=1 --" }, now));
    expect([filters.teamId, filters.gatewayKeyId]).toEqual([undefined, undefined]);
  });

  it.each([
    ["ok", "OK"],
    ["error", "ERROR"],
    ["cancelled", "CANCELLED"],
    ["CANCELLED", null],
    ["canceled", null],
    ["", null],
  ])("status %j filters on %j", (status, expected) => {
    expect(usageLogFilters(parseUsageLogParams({ status }, now)).status).toBe(expected);
  });

  it("keeps the gateway filters and the status in the links it builds", () => {
    const params = parseUsageLogParams({ team: TEAM, gatewayKey: KEY, status: "cancelled" }, now);
    const link = new URLSearchParams(usageLogSearch(params, { direction: "newer", value: "c" }));
    expect(Object.fromEntries(link)).toMatchObject({ team: TEAM, gatewayKey: KEY, status: "cancelled", newer: "c" });
  });
});
