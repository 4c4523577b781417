import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { generateGatewayKey } from "@/lib/gateway-keys/key-material";
import { NONE_ID } from "@/lib/usage/buckets";
import { rawRecordsCsvStream } from "@/lib/usage/csv-exports";
import { recordUsage, type UsageInput } from "@/lib/usage/record-usage";
import { queryUsageLog } from "@/lib/usage/usage-log";
import { parseUsageLogParams, usageLogFilters, usageLogSearch } from "@/lib/usage/usage-log-params";
import { createUsageFixture, type UsageFixture } from "./ingest-support";

// The usage log and its raw CSV with gateway records: each record's gateway key and team, the
// gateway key and team filters from the URL, estimated token counts and cancelled streams. The
// records are written here through recordUsage and the assertions name them by the ids given.

const DAY = "2026-10-07";
let fixture: UsageFixture;
const keyHashes: string[] = [];
const teams: Record<"search" | "billing", { id: string; name: string }> = {} as never;
const keys: Record<"searchA" | "billingB" | "gone", { id: string; name: string; last4: string }> = {} as never;
const ids = {
  searchOk: randomUUID(),
  searchEstimated: randomUUID(),
  searchCancelled: randomUUID(),
  billingOk: randomUUID(),
  goneKey: randomUUID(),
  ingested: randomUUID(),
};

function record(clientRecordId: string, minute: number, fields: Partial<UsageInput> = {}): UsageInput {
  return {
    clientRecordId,
    occurredAt: new Date(`${DAY}T10:${String(minute).padStart(2, "0")}:00.000Z`),
    providerId: fixture.providerId,
    modelId: fixture.pricedModel.id,
    keyId: null,
    tag: "",
    inputTokens: 1000,
    cachedInputTokens: 0,
    outputTokens: 100,
    latencyMs: 500,
    ttftMs: 120,
    status: "OK",
    errorClass: null,
    httpStatus: 200,
    ...fields,
  };
}

beforeAll(async () => {
  fixture = await createUsageFixture();
  const suffix = randomUUID().slice(0, 8);
  for (const name of ["search", "billing"] as const)
    teams[name] = await db.team.create({ data: { name: `${name}-${suffix}` }, select: { id: true, name: true } });
  // Fixed last 4: a random one may start with "-", which the CSV prefixes against formula injection.
  for (const [name, team, last4] of [
    ["searchA", teams.search, "Ab12"],
    ["billingB", teams.billing, "cd34"],
    ["gone", teams.billing, "ef56"],
  ] as const) {
    const material = generateGatewayKey();
    keyHashes.push(material.hash);
    keys[name] = await db.gatewayKey.create({
      data: { teamId: team.id, name: `${name}-${suffix}`, keyHash: material.hash, last4 },
      select: { id: true, name: true, last4: true },
    });
  }
  const viaGateway = (key: keyof typeof keys, team: keyof typeof teams) => ({
    gatewayKeyId: keys[key].id,
    teamId: teams[team].id,
  });
  await recordUsage(
    [
      record(ids.searchOk, 1, viaGateway("searchA", "search")),
      record(ids.searchEstimated, 2, { ...viaGateway("searchA", "search"), estimated: true }),
      record(ids.searchCancelled, 3, {
        ...viaGateway("searchA", "search"),
        status: "CANCELLED",
        outputTokens: 40,
        httpStatus: 200,
      }),
      record(ids.billingOk, 4, viaGateway("billingB", "billing")),
      record(ids.goneKey, 5, viaGateway("gone", "billing")),
    ],
    { source: "GATEWAY" },
  );
  await recordUsage([record(ids.ingested, 6)], { source: "INGEST" });
  // History outlives the catalog: a deleted key's records stay and say so.
  await db.gatewayKey.delete({ where: { id: keys.gone.id } });
}, 60_000);

async function logIds(search: Record<string, string>): Promise<string[]> {
  const params = parseUsageLogParams({ from: DAY, to: DAY, provider: fixture.providerId, ...search });
  const page = await queryUsageLog(usageLogFilters(params), null, 50);
  return page.rows.map((row) => row.client_record_id!).sort();
}

const sorted = (...values: string[]) => [...values].sort();

describe("the usage log with gateway records", () => {
  it("lists each record with its gateway key id, team id, estimated flag and status", async () => {
    const params = parseUsageLogParams({ from: DAY, to: DAY, provider: fixture.providerId });
    const { rows } = await queryUsageLog(usageLogFilters(params), null, 50);
    const byId = new Map(rows.map((row) => [row.client_record_id, row]));
    expect(rows).toHaveLength(6);
    expect(byId.get(ids.searchEstimated)).toMatchObject({
      source: "GATEWAY",
      gateway_key_id: keys.searchA.id,
      team_id: teams.search.id,
      estimated: true,
      status: "OK",
    });
    expect(byId.get(ids.searchCancelled)).toMatchObject({ status: "CANCELLED", estimated: false, output_tokens: 40 });
    expect(byId.get(ids.ingested)).toMatchObject({
      source: "INGEST",
      gateway_key_id: null,
      team_id: null,
      estimated: false,
    });
    // Nothing shaped like key material is selected.
    for (const row of rows) expect(Object.keys(row).join()).not.toMatch(/hash|secret|cipher/);
  });

  it("filters by gateway key, by team, and by the nil UUID for records that did not come through the gateway", async () => {
    expect(await logIds({ gatewayKey: keys.searchA.id })).toEqual(
      sorted(ids.searchOk, ids.searchEstimated, ids.searchCancelled),
    );
    expect(await logIds({ gatewayKey: keys.billingB.id })).toEqual([ids.billingOk]);
    expect(await logIds({ team: teams.billing.id })).toEqual(sorted(ids.billingOk, ids.goneKey));
    expect(await logIds({ team: teams.search.id, gatewayKey: keys.billingB.id })).toEqual([]);
    expect(await logIds({ gatewayKey: NONE_ID })).toEqual([ids.ingested]);
    expect(await logIds({ team: NONE_ID })).toEqual([ids.ingested]);
    expect(await logIds({ source: "gateway" })).toHaveLength(5);
  });

  it("filters by status cancelled, and ignores malformed team or key parameters rather than failing", async () => {
    expect(await logIds({ status: "cancelled" })).toEqual([ids.searchCancelled]);
    expect(await logIds({ status: "ok", team: teams.search.id })).toEqual(sorted(ids.searchOk, ids.searchEstimated));
    const all = await logIds({});
    expect(all).toHaveLength(6);
    for (const bad of ["not-a-uuid", "'; DROP TABLE usage_records;--", ""]) {
      expect(await logIds({ gatewayKey: bad, team: bad })).toEqual(all);
    }
    expect(await logIds({ status: "CANCELLED!" })).toEqual(all);
  });

  it("keeps the gateway filters in the pager links", () => {
    const params = parseUsageLogParams({ from: DAY, to: DAY, team: teams.search.id, gatewayKey: keys.searchA.id });
    const link = new URLSearchParams(usageLogSearch(params, { direction: "older", value: "cursor" }));
    expect([link.get("team"), link.get("gatewayKey"), link.get("older")]).toEqual([
      teams.search.id,
      keys.searchA.id,
      "cursor",
    ]);
  });
});

describe("the raw records CSV with gateway records", () => {
  async function csvRows(search: Record<string, string>) {
    const params = parseUsageLogParams({ from: DAY, to: DAY, provider: fixture.providerId, ...search });
    const text = await new Response(rawRecordsCsvStream(usageLogFilters(params), 2)).text();
    const [header = "", ...lines] = text.trim().split("\r\n");
    const columns = header.split(",");
    return {
      text,
      rows: lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell]))),
    };
  }

  it("names each record's gateway key (with its last 4) and team, and says which were estimated", async () => {
    const { rows, text } = await csvRows({});
    const byId = new Map(rows.map((row) => [row.client_record_id, row]));
    expect(rows).toHaveLength(6);
    expect(byId.get(ids.searchEstimated)).toMatchObject({
      source: "GATEWAY",
      gateway_key: keys.searchA.name,
      gateway_key_last4: keys.searchA.last4,
      team: teams.search.name,
      estimated: "yes",
    });
    expect(byId.get(ids.searchCancelled)).toMatchObject({ status: "CANCELLED", estimated: "no" });
    expect(byId.get(ids.billingOk)).toMatchObject({
      gateway_key: keys.billingB.name,
      gateway_key_last4: keys.billingB.last4,
      team: teams.billing.name,
    });
    expect(byId.get(ids.goneKey)).toMatchObject({
      gateway_key: `deleted gateway key ${keys.gone.id.slice(0, 8)}`,
      gateway_key_last4: "",
      team: teams.billing.name,
    });
    expect(byId.get(ids.ingested)).toMatchObject({ gateway_key: "", gateway_key_last4: "", team: "", estimated: "no" });
    for (const hash of keyHashes) expect(text).not.toContain(hash);
  });

  it("applies the team filter to the export", async () => {
    const { rows } = await csvRows({ team: teams.search.id });
    expect(rows.map((row) => row.client_record_id).sort()).toEqual(
      sorted(ids.searchOk, ids.searchEstimated, ids.searchCancelled),
    );
  });
});
