import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { NONE_ID } from "@/lib/usage/buckets";
import { spendCsv } from "@/lib/usage/csv-exports";
import { repriceUnpriced } from "@/lib/usage/reprice";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { buildSpendReport } from "@/lib/usage/spend-report";
import {
  createGatewayFixture,
  expectedCost,
  expectedTotals,
  mixedRecords,
  usd,
  writeRecords,
  type GatewayFixture,
  type GatewayRecord,
  type Price,
} from "./gateway-usage-support";

// Spend by team and by gateway key, read from the rollups, must equal sums worked out from the
// records written (gateway-usage-support.ts), exactly; and the budget counters (spend_counters,
// kept in the usage insert and in repricing) must equal the raw records per scope and month.

const DAYS = ["2026-11-03", "2026-11-04", "2026-11-05"];

describe("spend by team and gateway key", () => {
  let fixture: GatewayFixture;
  let records: GatewayRecord[];
  const teamOf = (record: GatewayRecord) => (record.key === null ? NONE_ID : fixture.keys[record.key]!.teamId);
  const keyOf = (record: GatewayRecord) => (record.key === null ? NONE_ID : fixture.keys[record.key]!.id);
  const report = (search: Record<string, string>) =>
    buildSpendReport(parseSpendParams({ from: DAYS[0]!, to: DAYS.at(-1)!, provider: fixture.providerId, ...search }));

  beforeAll(async () => {
    fixture = await createGatewayFixture();
    records = mixedRecords(
      360,
      17,
      (i) => `${DAYS[i % 3]}T${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00Z`,
    );
    await writeRecords(fixture, records, 90);
  });

  it("stacked by team: every cell, series and the total equal the sums of the inputs", async () => {
    const stacked = await report({ by: "team" });
    const teams = [fixture.teams.a.id, fixture.teams.b.id, NONE_ID];
    expect(stacked.series.map((series) => series.id).sort()).toEqual([...teams].sort());
    for (const day of DAYS)
      for (const team of teams)
        expect(stacked.cells[day]?.[team], `${day} ${team}`).toEqual(
          expectedTotals(records.filter((r) => r.at.startsWith(day) && teamOf(r) === team)),
        );
    for (const series of stacked.series) {
      const { cost, ...counts } = expectedTotals(records.filter((r) => teamOf(r) === series.id));
      expect(series).toMatchObject({ total: cost, ...counts });
    }
    expect(stacked.total).toEqual(expectedTotals(records));
    expect(stacked.total.estimated).toBeGreaterThan(0);
    expect(stacked.total.unpriced).toBeGreaterThan(0);
    const label = Object.fromEntries(stacked.series.map((series) => [series.id, series.label]));
    expect(label).toEqual({
      [fixture.teams.a.id]: fixture.teams.a.name,
      [fixture.teams.b.id]: fixture.teams.b.name,
      [NONE_ID]: "No team",
    });
  });

  it("stacked by gateway key: each key, and direct usage, equal the sums of the inputs", async () => {
    const stacked = await report({ by: "gatewayKey", period: "month" });
    const ids = [...fixture.keys.map((key) => key.id), NONE_ID];
    expect(stacked.periods).toEqual(["2026-11-01"]);
    for (const id of ids)
      expect(stacked.cells["2026-11-01"]?.[id], id).toEqual(expectedTotals(records.filter((r) => keyOf(r) === id)));
    const label = Object.fromEntries(stacked.series.map((series) => [series.id, series.label]));
    expect(label).toEqual({
      ...Object.fromEntries(fixture.keys.map((key) => [key.id, `${key.name} …${key.last4}`])),
      [NONE_ID]: "Direct (no gateway key)",
    });
  });

  it("filters by team and by gateway key (the nil UUID: usage without one) total what the inputs say", async () => {
    const [k1, k2, k3] = fixture.keys;
    const cases: [Record<string, string>, GatewayRecord[]][] = [
      [{ team: fixture.teams.a.id }, records.filter((r) => teamOf(r) === fixture.teams.a.id)],
      [{ team: fixture.teams.b.id }, records.filter((r) => teamOf(r) === fixture.teams.b.id)],
      [{ team: NONE_ID }, records.filter((r) => r.key === null)],
      [{ gatewayKey: k3!.id }, records.filter((r) => keyOf(r) === k3!.id)],
      [{ gatewayKey: NONE_ID }, records.filter((r) => r.key === null)],
      [{ team: fixture.teams.a.id, gatewayKey: k2!.id }, records.filter((r) => keyOf(r) === k2!.id)],
      // k3 is team B's: no record is both.
      [{ team: fixture.teams.a.id, gatewayKey: k3!.id }, []],
    ];
    for (const [search, expected] of cases) {
      const stacked = await report({ by: "provider", ...search });
      const totals = expectedTotals(expected);
      expect(stacked.total, JSON.stringify(search)).toEqual(
        expected.length ? totals : { cost: "0.0000000000", unpriced: 0, estimated: 0, requests: 0 },
      );
    }
    const teamA = await report({ by: "gatewayKey", team: fixture.teams.a.id });
    expect(teamA.series.map((series) => series.id).sort()).toEqual([k1!.id, k2!.id].sort());
  });

  it("reconciles with the raw records to the cent (and exactly), per team", async () => {
    const stacked = await report({ by: "team" });
    const raw = await db.$queryRawUnsafe<{ team: string; cost: string; cents: string; unpriced: number }[]>(
      `SELECT coalesce(team_id, $2::uuid)::text AS team, coalesce(sum(cost), 0)::numeric(30,10)::text AS cost,
         round(coalesce(sum(cost), 0), 2)::text AS cents, count(*) FILTER (WHERE NOT priced)::int AS unpriced
       FROM usage_records WHERE provider_id = $1::uuid GROUP BY 1`,
      fixture.providerId,
      NONE_ID,
    );
    expect(raw).toHaveLength(3);
    for (const row of raw) {
      const series = stacked.series.find((s) => s.id === row.team)!;
      expect(series.total).toBe(row.cost);
      expect(series.unpriced).toBe(row.unpriced);
      // The page rounds the exact sum once: the same cents as rounding the raw sum.
      expect(Number(series.total).toFixed(2)).toBe(row.cents);
    }
  });

  it("names are read at read time: a renamed team shows its new name over its whole history", async () => {
    const renamed = `${fixture.teams.b.name}-renamed`;
    await db.team.update({ where: { id: fixture.teams.b.id }, data: { name: renamed } });
    const stacked = await report({ by: "team" });
    expect(stacked.series.find((series) => series.id === fixture.teams.b.id)?.label).toBe(renamed);
  });

  it("the chart CSV carries the estimated count beside the unpriced one", async () => {
    const csv = await spendCsv(
      parseSpendParams({ from: DAYS[0]!, to: DAYS.at(-1)!, provider: fixture.providerId, by: "gatewayKey" }),
    );
    const [header = "", ...lines] = csv.trim().split("\r\n");
    const columns = header.split(",");
    const sum = (name: string) =>
      lines.reduce((total, line) => total + Number(line.split(",")[columns.indexOf(name)] || 0), 0);
    const expected = expectedTotals(records);
    expect(sum("estimated_requests")).toBe(expected.estimated);
    expect(sum("unpriced_requests")).toBe(expected.unpriced);
    expect(sum("requests")).toBe(expected.requests);
  });
});

// Months no other file writes to: the overall counter is compared by how much it moved.
const JULY = "2025-07";
const AUGUST = "2025-08";

type Counter = { cost: string; unpriced: number };

async function countersFor(scopes: string[]): Promise<Map<string, Counter>> {
  const rows = await db.$queryRawUnsafe<{ scope: string; month: string; cost: string; unpriced: number }[]>(
    `SELECT scope, to_char(month, 'YYYY-MM') AS month, cost_sum::numeric(30,10)::text AS cost, unpriced_count::int AS unpriced
     FROM spend_counters WHERE scope = ANY($1::text[]) AND month >= '2025-07-01' AND month < '2025-09-01'`,
    scopes,
  );
  return new Map(rows.map((row) => [`${row.scope} ${row.month}`, { cost: row.cost, unpriced: row.unpriced }]));
}

/** The same sums straight from usage_records: one scope per provider, team and key (SQL of this test's own). */
async function rawSums(providerId: string): Promise<Map<string, Counter>> {
  const rows = await db.$queryRawUnsafe<{ scope: string; month: string; cost: string; unpriced: number }[]>(
    `SELECT s.scope, to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
       coalesce(sum(r.cost), 0)::numeric(30,10)::text AS cost, count(*) FILTER (WHERE NOT r.priced)::int AS unpriced
     FROM usage_records r
     CROSS JOIN LATERAL (VALUES ('provider:' || r.provider_id), ('team:' || r.team_id), ('key:' || r.gateway_key_id)) s(scope)
     WHERE r.provider_id = $1::uuid AND s.scope IS NOT NULL
     GROUP BY 1, 2`,
    providerId,
  );
  return new Map(rows.map((row) => [`${row.scope} ${row.month}`, { cost: row.cost, unpriced: row.unpriced }]));
}

describe("spend counters per budget scope and month", () => {
  let fixture: GatewayFixture;
  let records: GatewayRecord[];
  let overallBefore: Map<string, Counter>;
  // The unpriced model gets a price from 1 August: $3 in / $15 out per 1M (cached at the input rate).
  const augustPrice: Price[] = [{ from: "2025-08-01T00:00:00Z", input: 30_000n, cached: 30_000n, output: 150_000n }];

  const scopesOf = (record: GatewayRecord) => {
    const key = record.key === null ? null : fixture.keys[record.key]!;
    return [`provider:${fixture.providerId}`, ...(key ? [`team:${key.teamId}`, `key:${key.id}`] : [])];
  };

  function expectedCounters(prices: Price[] = []): Map<string, Counter> {
    const sums = new Map<string, { units: bigint; unpriced: number }>();
    for (const record of records) {
      const cost = expectedCost(record, prices);
      for (const scope of scopesOf(record)) {
        const key = `${scope} ${record.at.slice(0, 7)}`;
        const sum = sums.get(key) ?? { units: 0n, unpriced: 0 };
        if (cost === null) sum.unpriced += 1;
        else sum.units += cost;
        sums.set(key, sum);
      }
    }
    return new Map([...sums].map(([key, sum]) => [key, { cost: usd(sum.units), unpriced: sum.unpriced }]));
  }

  function overallMoved(after: Map<string, Counter>, month: string): Counter {
    const before = overallBefore.get(`overall ${month}`) ?? { cost: "0.0000000000", unpriced: 0 };
    const now = after.get(`overall ${month}`)!;
    const units = (value: string) => BigInt(value.replace(".", ""));
    return { cost: usd(units(now.cost) - units(before.cost)), unpriced: now.unpriced - before.unpriced };
  }

  const allScopes = () => [
    `provider:${fixture.providerId}`,
    ...Object.values(fixture.teams).map((team) => `team:${team.id}`),
    ...fixture.keys.map((key) => `key:${key.id}`),
  ];

  beforeAll(async () => {
    fixture = await createGatewayFixture();
    overallBefore = await countersFor(["overall"]);
    const base = Date.parse("2025-07-20T00:00:00Z");
    records = [
      ...mixedRecords(230, 29, (i) => new Date(base + i * 4 * 3_600_000 + i * 1000).toISOString()),
      // Both sides of the month boundary, for every key and direct.
      ...[0, 1, 2, null].flatMap((key) =>
        ["2025-07-31T23:59:59.999Z", "2025-08-01T00:00:00.000Z"].flatMap((at) =>
          mixedRecords(2, 31, () => at).map((record) => ({ ...record, key, estimated: key !== null })),
        ),
      ),
    ];
    expect(records.some((r) => r.at.startsWith(JULY)) && records.some((r) => r.at.startsWith(AUGUST))).toBe(true);
    // Uneven batches, and one batch written again: duplicates must add nothing.
    await writeRecords(fixture, records, 37);
    await writeRecords(fixture, records.slice(40, 80), 40);
  });

  it("after a mixed batch each scope's counter equals the sum of its records, per month", async () => {
    const counters = await countersFor(allScopes());
    const expected = expectedCounters();
    expect(counters).toEqual(expected);
    expect(await rawSums(fixture.providerId)).toEqual(expected);
    expect(counters.get(`team:${fixture.teams.a.id} ${AUGUST}`)?.unpriced).toBeGreaterThan(0);
    const all = await countersFor(["overall"]);
    for (const month of [JULY, AUGUST]) {
      const { cost, unpriced } = expectedTotals(records.filter((r) => r.at.startsWith(month)));
      expect(overallMoved(all, month), month).toEqual({ cost, unpriced });
    }
  });

  it("after repricing the counters move the new cost out of unpriced, still equal to the records", async () => {
    await db.modelPrice.create({
      data: {
        modelId: fixture.unpricedModel.id,
        inputPerMTok: "3",
        outputPerMTok: "15",
        effectiveFrom: new Date("2025-08-01T00:00:00Z"),
      },
    });
    const unpricedAugust = records.filter((r) => r.model === "unpriced" && r.at >= "2025-08-01");
    const result = await repriceUnpriced(fixture.unpricedModel.id);
    expect(result.repriced).toBe(unpricedAugust.length);
    expect(result.stillUnpriced).toBe(records.filter((r) => r.model === "unpriced" && r.at < "2025-08-01").length);

    const counters = await countersFor(allScopes());
    const expected = expectedCounters(augustPrice);
    expect(counters).toEqual(expected);
    expect(await rawSums(fixture.providerId)).toEqual(expected);
    const all = await countersFor(["overall"]);
    for (const month of [JULY, AUGUST]) {
      const { cost, unpriced } = expectedTotals(
        records.filter((r) => r.at.startsWith(month)),
        augustPrice,
      );
      expect(overallMoved(all, month), month).toEqual({ cost, unpriced });
    }

    // The hourly rollup moved the same cost per team (spend reads the daily one, below).
    const hourly = await db.$queryRawUnsafe<{ team: string; cost: string; unpriced: number }[]>(
      `SELECT team_id::text AS team, sum(cost_sum)::numeric(30,10)::text AS cost, sum(unpriced_count)::int AS unpriced
       FROM usage_rollup_hourly WHERE provider_id = $1::uuid GROUP BY 1`,
      fixture.providerId,
    );
    const teamIdOf = (r: GatewayRecord) => (r.key === null ? NONE_ID : fixture.keys[r.key]!.teamId);
    for (const row of hourly) {
      const { cost, unpriced } = expectedTotals(
        records.filter((r) => teamIdOf(r) === row.team),
        augustPrice,
      );
      expect({ cost: row.cost, unpriced: row.unpriced }, row.team).toEqual({ cost, unpriced });
    }
    expect(hourly).toHaveLength(3);

    // The daily rollup too: the spend page by team agrees with the repriced inputs.
    const stacked = await buildSpendReport(
      parseSpendParams({
        from: "2025-07-01",
        to: "2025-08-31",
        period: "month",
        by: "team",
        provider: fixture.providerId,
      }),
    );
    for (const team of [fixture.teams.a.id, fixture.teams.b.id])
      for (const month of [JULY, AUGUST])
        expect(stacked.cells[`${month}-01`]?.[team], `${team} ${month}`).toEqual(
          expectedTotals(
            records.filter((r) => r.at.startsWith(month) && r.key !== null && fixture.keys[r.key]!.teamId === team),
            augustPrice,
          ),
        );
  });

  it("a duplicate batch through recordUsage adds nothing to any counter", async () => {
    const before = await countersFor([...allScopes(), "overall"]);
    await writeRecords(fixture, records.slice(0, 50), 50);
    expect(await countersFor([...allScopes(), "overall"])).toEqual(before);
  });
});
