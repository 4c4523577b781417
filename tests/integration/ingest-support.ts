import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { insertIngestToken } from "@/lib/ingest/tokens";

// Shared fixtures for the usage/ingest integration tests: each call creates its own provider,
// models and token with random names, so files sharing the database never collide.

export type UsageFixture = {
  providerId: string;
  providerName: string;
  pricedModel: { id: string; modelId: string };
  unpricedModel: { id: string; modelId: string };
  token: string;
  tokenId: string;
};

export async function createUsageFixture(): Promise<UsageFixture> {
  const suffix = randomUUID().slice(0, 8);
  const provider = await db.provider.create({
    data: { name: `usage-provider-${suffix}`, kind: "openai", baseUrl: "https://api.openai.example/v1" },
    select: { id: true, name: true },
  });
  const priced = await db.model.create({
    data: { providerId: provider.id, modelId: `priced-${suffix}`, displayName: "Priced" },
    select: { id: true, modelId: true },
  });
  const unpriced = await db.model.create({
    data: { providerId: provider.id, modelId: `unpriced-${suffix}`, displayName: "Unpriced" },
    select: { id: true, modelId: true },
  });
  await db.modelPrice.createMany({
    data: [
      // An older price, then the one in force from 2026-06-01: records pick by occurred_at.
      {
        modelId: priced.id,
        inputPerMTok: "1.000000",
        outputPerMTok: "2.000000",
        effectiveFrom: new Date("2025-01-01T00:00:00Z"),
      },
      {
        modelId: priced.id,
        inputPerMTok: "2.500000",
        outputPerMTok: "10.000000",
        cachedInputPerMTok: "1.250000",
        effectiveFrom: new Date("2026-06-01T00:00:00Z"),
      },
    ],
  });
  const { row, token } = await insertIngestToken({ name: `test-${suffix}`, createdById: null });
  return {
    providerId: provider.id,
    providerName: provider.name,
    pricedModel: priced,
    unpricedModel: unpriced,
    token,
    tokenId: row.id,
  };
}

export type WireRecord = Record<string, unknown>;

export function wireRecord(fixture: UsageFixture, overrides: WireRecord = {}): WireRecord {
  return {
    id: randomUUID(),
    occurredAt: "2026-11-20T10:15:00.000Z",
    provider: fixture.providerName,
    model: fixture.pricedModel.modelId,
    tag: "checkout",
    inputTokens: 1200,
    cachedInputTokens: 200,
    outputTokens: 300,
    latencyMs: 850,
    ttftMs: 240,
    status: "ok",
    httpStatus: 200,
    ...overrides,
  };
}

/** Totals straight from raw rows and from both rollups, per provider, for reconciliation. */
export async function reconcile(providerId: string) {
  const raw = await db.$queryRawUnsafe<
    { requests: bigint; errors: bigint; tokens: bigint; cost: string | null; unpriced: bigint }[]
  >(
    `SELECT count(*) AS requests, count(*) FILTER (WHERE status = 'ERROR') AS errors,
       coalesce(sum(input_tokens::bigint + cached_input_tokens + output_tokens), 0) AS tokens,
       coalesce(sum(cost), 0)::numeric(30,10)::text AS cost, count(*) FILTER (WHERE NOT priced) AS unpriced
     FROM usage_records WHERE provider_id = $1::uuid`,
    providerId,
  );
  const rollup = async (table: string) =>
    db.$queryRawUnsafe<{ requests: bigint; errors: bigint; tokens: bigint; cost: string | null; unpriced: bigint }[]>(
      `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(errors), 0) AS errors,
         coalesce(sum(input_tokens + cached_input_tokens + output_tokens), 0) AS tokens,
         coalesce(sum(cost_sum), 0)::numeric(30,10)::text AS cost, coalesce(sum(unpriced_count), 0) AS unpriced
       FROM ${table} WHERE provider_id = $1::uuid`,
      providerId,
    );
  const normalise = (
    row: { requests: bigint; errors: bigint; tokens: bigint; cost: string | null; unpriced: bigint } | undefined,
  ) => ({
    requests: Number(row?.requests ?? 0),
    errors: Number(row?.errors ?? 0),
    tokens: Number(row?.tokens ?? 0),
    cost: row?.cost ?? "0",
    unpriced: Number(row?.unpriced ?? 0),
  });
  return {
    raw: normalise(raw[0]),
    hourly: normalise((await rollup("usage_rollup_hourly"))[0]),
    daily: normalise((await rollup("usage_rollup_daily"))[0]),
  };
}
