import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { NONE_ID } from "@/lib/usage/buckets";
import { gatewayTraffic, topTeamsThisMonth } from "@/lib/usage/overview";
import {
  createGatewayFixture,
  expectedTotals,
  writeRecords,
  type GatewayFixture,
  type GatewayRecord,
} from "./gateway-usage-support";

// The overview's gateway widgets: requests per minute and error rate over the last 60 whole
// minutes, and top teams by spend this UTC month. Each case pins its own `now` to an instant no
// other file writes near (gateway traffic is counted over every provider), one of them two minutes
// into a UTC month, where the last hour reaches back into the previous month.

const CASES = [
  ["mid-month", new Date("2025-03-14T10:30:20.000Z")],
  ["two minutes into a UTC month", new Date("2025-04-01T00:02:00.000Z")],
] as const;

describe.each(CASES)("gateway overview %s", (_label, now) => {
  let fixture: GatewayFixture;
  let records: GatewayRecord[];
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const record = (when: number, key: number | null, overrides: Partial<GatewayRecord> = {}): GatewayRecord => ({
    id: randomUUID(),
    at: at(when),
    key,
    model: "priced",
    input: 1000,
    cached: 100,
    output: 200,
    status: "OK",
    estimated: false,
    ...overrides,
  });
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);

  beforeAll(async () => {
    fixture = await createGatewayFixture();
    records = [
      // The window's last whole minute: 5 gateway requests, one failed, one cancelled by the caller.
      record(minute - 60_000, 0),
      record(minute - 60_000 + 10_000, 1),
      record(minute - 60_000 + 20_000, 2, { status: "ERROR" }),
      record(minute - 60_000 + 30_000, 2, { status: "CANCELLED", estimated: true }),
      record(minute - 1, 0, { model: "unpriced" }),
      // Its first minute, from its very first millisecond: 3 requests, one failed.
      record(minute - 3_600_000, 0),
      record(minute - 3_600_000, 1, { status: "ERROR" }),
      record(minute - 3_600_000 + 59_999, 2),
      // The middle: 2 requests.
      record(minute - 1_800_000 + 59_999, 1, { estimated: true }),
      record(minute - 1_800_000, 2),
      // Outside: the millisecond before the window, and the still-filling current minute.
      ...Array.from({ length: 4 }, () => record(minute - 3_600_000 - 1, 0, { status: "ERROR" })),
      record(minute, 1),
      // Direct (ingested) usage in the window is not gateway traffic, and has no team.
      ...Array.from({ length: 7 }, (_, i) =>
        record(minute - 600_000 - i * 1000, null, { status: "ERROR", input: 9_000_000 }),
      ),
      // Spend this month: team B spends the most; the first millisecond of the month counts, the
      // one before does not.
      record(monthStart, 2, { input: 2_000_000, output: 500_000 }),
      record(monthStart - 1, 2, { input: 50_000_000 }),
      record(monthStart, 0, { input: 300_000, estimated: true }),
      record(monthStart + 30_000, 1, { model: "unpriced" }),
    ];
    await writeRecords(fixture, records);
  });

  /** Gateway records in [from, to), worked out from the inputs. */
  const expectedWindow = () => {
    const from = minute - 3_600_000;
    const inWindow = records.filter((r) => r.key !== null && Date.parse(r.at) >= from && Date.parse(r.at) < minute);
    const perMinute = Array.from({ length: 60 }, (_, i) => {
      const start = from + i * 60_000;
      const rows = inWindow.filter((r) => Date.parse(r.at) >= start && Date.parse(r.at) < start + 60_000);
      return { at: at(start), requests: rows.length, errors: rows.filter((r) => r.status === "ERROR").length };
    });
    return {
      requests: inWindow.length,
      errors: inWindow.filter((r) => r.status === "ERROR").length,
      cancelled: inWindow.filter((r) => r.status === "CANCELLED").length,
      perMinute,
    };
  };

  it("counts gateway requests per minute over the 60 whole minutes before now", async () => {
    const expected = expectedWindow();
    // 10 placed in the window on purpose (more when the month's first records fall in it too).
    expect(expected.requests).toBeGreaterThanOrEqual(10);
    const traffic = await gatewayTraffic(now);
    expect(traffic.from.toISOString()).toBe(at(minute - 3_600_000));
    expect(traffic.to.toISOString()).toBe(at(minute));
    expect(traffic.points).toEqual(expected.perMinute);
    expect(traffic.points[59]).toEqual({ at: at(minute - 60_000), requests: 5, errors: 1 });
    expect(traffic).toMatchObject({
      requests: expected.requests,
      peakPerMinute: Math.max(...expected.perMinute.map((point) => point.requests)),
      lastMinute: 5,
    });
    expect(traffic.perMinute).toBeCloseTo(expected.requests / 60, 10);
  });

  it("gives the gateway error rate of the last hour: errors apart from cancelled requests", async () => {
    const { requests, errors, cancelled } = await gatewayTraffic(now);
    const expected = expectedWindow();
    expect({ requests, errors, cancelled }).toEqual({
      requests: expected.requests,
      errors: expected.errors,
      cancelled: expected.cancelled,
    });
    expect(errors).toBeGreaterThanOrEqual(2);
    expect(cancelled).toBe(1);
  });

  it("ranks this file's teams by spend this UTC month, equal to the inputs and to spend_counters", async () => {
    const inMonth = (r: GatewayRecord) =>
      Date.parse(r.at) >= monthStart && Date.parse(r.at) < Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    const top = await topTeamsThisMonth(100, now);
    expect(top.some((row) => row.seriesId === NONE_ID)).toBe(false);
    const ours = top.filter((row) => row.seriesId === fixture.teams.a.id || row.seriesId === fixture.teams.b.id);
    const expected = [fixture.teams.b.id, fixture.teams.a.id].map((team) => ({
      seriesId: team,
      ...expectedTotals(records.filter((r) => inMonth(r) && r.key !== null && fixture.keys[r.key]!.teamId === team)),
    }));
    expect(ours).toEqual(expected);
    expect(BigInt(expected[0]!.cost.replace(".", ""))).toBeGreaterThan(BigInt(expected[1]!.cost.replace(".", "")));

    // The budget counters the gateway enforces hold the same sums.
    const month = new Date(monthStart).toISOString().slice(0, 10);
    const counters = await db.$queryRawUnsafe<{ scope: string; cost: string; unpriced: number }[]>(
      `SELECT scope, cost_sum::numeric(30,10)::text AS cost, unpriced_count::int AS unpriced
       FROM spend_counters WHERE scope = ANY($1::text[]) AND month = $2::date ORDER BY cost_sum DESC`,
      expected.map((row) => `team:${row.seriesId}`),
      month,
    );
    expect(counters).toEqual(
      expected.map((row) => ({ scope: `team:${row.seriesId}`, cost: row.cost, unpriced: row.unpriced })),
    );
  });
});
