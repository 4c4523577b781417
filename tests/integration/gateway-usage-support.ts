import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { generateGatewayKey } from "@/lib/gateway-keys/key-material";
import { recordUsage, type UsageInput } from "@/lib/usage/record-usage";
import { createUsageFixture, type UsageFixture } from "./ingest-support";

// Gateway usage for the spend and overview tests: two teams, three keys (two in team A, one in
// team B) and direct traffic with neither, written through recordUsage. Expected sums are worked
// out here from the inputs and the fixture's prices, in integer units of 1e-10 USD, never by the
// code under test.

export type GatewayFixture = UsageFixture & {
  teams: { a: { id: string; name: string }; b: { id: string; name: string } };
  /** k1, k2 in team A; k3 in team B. */
  keys: { id: string; name: string; last4: string; teamId: string }[];
};

export async function createGatewayFixture(): Promise<GatewayFixture> {
  const usage = await createUsageFixture();
  const suffix = randomUUID().slice(0, 8);
  const team = (name: string) =>
    db.team.create({ data: { name: `${name}-${suffix}` }, select: { id: true, name: true } });
  const a = await team("team-a");
  const b = await team("team-b");
  const keys = [];
  for (const [name, teamId] of [
    ["k1", a.id],
    ["k2", a.id],
    ["k3", b.id],
  ] as const) {
    const material = generateGatewayKey();
    keys.push(
      await db.gatewayKey.create({
        data: { teamId, name: `${name}-${suffix}`, keyHash: material.hash, last4: material.last4 },
        select: { id: true, name: true, last4: true, teamId: true },
      }),
    );
  }
  return { ...usage, teams: { a, b }, keys };
}

export type GatewayRecord = {
  /** Client record id; a record written twice with the same id is stored once. */
  id: string;
  at: string;
  /** Index into fixture.keys, or null for direct (ingested) usage with no key and no team. */
  key: number | null;
  model: "priced" | "unpriced";
  input: number;
  cached: number;
  output: number;
  status: "OK" | "ERROR" | "CANCELLED";
  estimated: boolean;
};

/** Writes gateway records as the gateway would (source GATEWAY) and direct ones as ingestion. */
export async function writeRecords(fixture: GatewayFixture, records: readonly GatewayRecord[], batchSize = 100) {
  const toInput = (record: GatewayRecord, clientRecordId: string): UsageInput => {
    const key = record.key === null ? null : fixture.keys[record.key]!;
    return {
      clientRecordId,
      occurredAt: new Date(record.at),
      providerId: fixture.providerId,
      modelId: record.model === "priced" ? fixture.pricedModel.id : fixture.unpricedModel.id,
      keyId: null,
      tag: "",
      inputTokens: record.input,
      cachedInputTokens: record.cached,
      outputTokens: record.output,
      latencyMs: 100,
      ttftMs: null,
      status: record.status,
      errorClass: record.status === "ERROR" ? "upstream_5xx" : null,
      httpStatus: record.status === "ERROR" ? 502 : 200,
      gatewayKeyId: key?.id ?? null,
      teamId: key?.teamId ?? null,
      estimated: record.estimated,
    };
  };
  for (let i = 0; i < records.length; i += batchSize) {
    const batch = records.slice(i, i + batchSize);
    const gateway = batch.filter((record) => record.key !== null);
    const direct = batch.filter((record) => record.key === null);
    if (gateway.length)
      await recordUsage(
        gateway.map((record) => toInput(record, record.id)),
        { source: "GATEWAY" },
      );
    if (direct.length)
      await recordUsage(
        direct.map((record) => toInput(record, record.id)),
        { source: "INGEST", ingestTokenId: fixture.tokenId },
      );
  }
}

// Prices per token in units of 1e-10 USD (price per 1M tokens × 10^4), as createUsageFixture sets
// them: $1 / $2 from 2025-01-01 (no cached price: cached input bills at the input rate), then
// $2.50 / $1.25 cached / $10 from 2026-06-01.
export type Price = { from: string; input: bigint; cached: bigint; output: bigint };
const PRICED: Price[] = [
  { from: "2026-06-01T00:00:00Z", input: 25_000n, cached: 12_500n, output: 100_000n },
  { from: "2025-01-01T00:00:00Z", input: 10_000n, cached: 10_000n, output: 20_000n },
];

/** Cost in 1e-10 USD, or null when no price was in force (unpriced). */
export function expectedCost(record: GatewayRecord, unpricedModelPrices: readonly Price[] = []): bigint | null {
  const prices = record.model === "priced" ? PRICED : unpricedModelPrices;
  const price = prices.find((p) => Date.parse(p.from) <= Date.parse(record.at));
  if (!price) return null;
  return (
    BigInt(record.input - record.cached) * price.input +
    BigInt(record.cached) * price.cached +
    BigInt(record.output) * price.output
  );
}

/** 1e-10 USD units as PostgreSQL prints numeric(30,10): "12.3400000000". */
export function usd(units: bigint): string {
  const scale = 10n ** 10n;
  return `${units / scale}.${(units % scale).toString().padStart(10, "0")}`;
}

export type Expected = { cost: string; unpriced: number; estimated: number; requests: number };

export function expectedTotals(records: readonly GatewayRecord[], prices?: readonly Price[]): Expected {
  let units = 0n;
  let unpriced = 0;
  for (const record of records) {
    const cost = expectedCost(record, prices);
    if (cost === null) unpriced += 1;
    else units += cost;
  }
  return {
    cost: usd(units),
    unpriced,
    estimated: records.filter((record) => record.estimated).length,
    requests: records.length,
  };
}

/** Deterministic pseudo-random generator (Park–Miller), so a failure replays. */
export function lcg(seed: number) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** A mixed batch: three keys and direct usage, priced and unpriced, some estimated, some failed. */
export function mixedRecords(count: number, seed: number, at: (i: number) => string): GatewayRecord[] {
  const next = lcg(seed);
  return Array.from({ length: count }, (_, i) => {
    const key = i % 4 === 3 ? null : i % 4;
    const input = 1 + Math.floor(next() * 5000);
    return {
      id: randomUUID(),
      at: at(i),
      key,
      model: i % 7 === 0 ? "unpriced" : "priced",
      input,
      cached: Math.floor(input * next() * 0.5),
      output: Math.floor(next() * 1000),
      status: i % 11 === 0 ? "ERROR" : i % 13 === 0 ? "CANCELLED" : "OK",
      // The gateway estimates when a provider reports no usage; direct usage always reports.
      estimated: key !== null && i % 5 === 0,
    };
  });
}
