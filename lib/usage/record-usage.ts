import "server-only";
import { randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import { buildRollupDeltas, type RollupSource } from "@/lib/usage/rollup-groups";
import { upsertRollups } from "@/lib/usage/rollup-upsert";
import { PRICING_LOCK, withTransaction } from "@/lib/usage/transaction";

// The one write path for usage: ingestion, test calls and (later) the gateway all come through
// here. One transaction per batch: insert the records with their cost priced in SQL from the
// price in force at occurred_at, then add exactly the inserted ones to the rollups.

export type UsageSource = "TEST" | "INGEST" | "GATEWAY";

export type UsageInput = Omit<RollupSource, "cost"> & {
  /** Idempotency id, unique per source. Omitted for test calls: a fresh one is assigned. */
  clientRecordId?: string;
  httpStatus: number | null;
};

export type RecordUsageResult = {
  /** Client ids stored now, and those already stored earlier (or twice in this batch). */
  inserted: Set<string>;
  duplicates: Set<string>;
  /** Inserted ids with no price in force at occurred_at: stored as "unpriced", cost NULL. */
  unpricedIds: Set<string>;
  unpriced: number;
};

// Cost = (uncached input × input price + cached input × cached price (input price when the model
// has none) + output × output price) / 1M, rounded once to DECIMAL(20,10). Multiplying by 0.000001
// keeps numeric arithmetic exact (division would pick its own scale).
export const COST_SQL = `round((((i.input_tokens - i.cached_input_tokens)::numeric * mp.input_per_mtok
  + i.cached_input_tokens::numeric * coalesce(mp.cached_input_per_mtok, mp.input_per_mtok)
  + i.output_tokens::numeric * mp.output_per_mtok) * 0.000001), 10)`;

const INSERT_SQL = `
WITH i AS (
  SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::uuid[], $8::text[], $9::int4[], $10::int4[],
    $11::int4[], $12::int4[], $13::int4[], $14::"UsageStatus"[], $15::text[], $16::int4[])
  AS t(client_record_id, occurred_at, provider_id, model_id, key_id, tag, input_tokens, cached_input_tokens,
    output_tokens, latency_ms, ttft_ms, status, error_class, http_status)
)
INSERT INTO usage_records (source, ingest_token_id, client_record_id, occurred_at, provider_id, model_id, key_id, tag,
  input_tokens, cached_input_tokens, output_tokens, latency_ms, ttft_ms, status, error_class, http_status, cost, priced, price_id)
SELECT $1::"UsageSource", $2::uuid, i.client_record_id, i.occurred_at, i.provider_id, i.model_id, i.key_id, i.tag,
  i.input_tokens, i.cached_input_tokens, i.output_tokens, i.latency_ms, i.ttft_ms, i.status, i.error_class, i.http_status,
  p.cost, p.id IS NOT NULL, p.id
FROM i
LEFT JOIN LATERAL (
  SELECT mp.id, ${COST_SQL} AS cost
  FROM model_prices mp
  WHERE mp.model_id = i.model_id AND mp.effective_from <= i.occurred_at
  ORDER BY mp.effective_from DESC
  LIMIT 1
) p ON true
ON CONFLICT (source, client_record_id) DO NOTHING
RETURNING client_record_id, cost::text AS cost`;

function columns(records: readonly (UsageInput & { clientRecordId: string })[]): unknown[] {
  return [
    records.map((r) => r.clientRecordId),
    records.map((r) => r.occurredAt.toISOString()),
    records.map((r) => r.providerId),
    records.map((r) => r.modelId),
    records.map((r) => r.keyId),
    records.map((r) => r.tag),
    records.map((r) => r.inputTokens),
    records.map((r) => r.cachedInputTokens),
    records.map((r) => r.outputTokens),
    records.map((r) => r.latencyMs),
    records.map((r) => r.ttftMs),
    records.map((r) => r.status),
    records.map((r) => r.errorClass),
    records.map((r) => r.httpStatus),
  ];
}

export async function recordUsage(
  input: readonly UsageInput[],
  options: { source: UsageSource; ingestTokenId?: string | null },
): Promise<RecordUsageResult> {
  const duplicates = new Set<string>();
  const byId = new Map<string, UsageInput & { clientRecordId: string }>();
  for (const record of input) {
    const clientRecordId = record.clientRecordId ?? randomUUID();
    if (byId.has(clientRecordId)) duplicates.add(clientRecordId);
    else byId.set(clientRecordId, { ...record, clientRecordId });
  }
  // Sorted ids: two batches sharing ids wait on each other in the same order, never in a cycle.
  const records = [...byId.values()].sort((a, b) => (a.clientRecordId < b.clientRecordId ? -1 : a.clientRecordId > b.clientRecordId ? 1 : 0));
  if (records.length === 0) return { inserted: new Set(), duplicates, unpricedIds: new Set(), unpriced: 0 };

  return withTransaction(async (client: PoolClient) => {
    // Shared with every other batch; reprice takes it exclusively (see reprice.ts).
    await client.query("SELECT pg_advisory_xact_lock_shared($1)", [PRICING_LOCK]);
    const { rows } = await client.query<{ client_record_id: string; cost: string | null }>(INSERT_SQL, [
      options.source,
      options.ingestTokenId ?? null,
      ...columns(records),
    ]);
    const inserted = new Set<string>();
    const sources: RollupSource[] = [];
    const unpricedIds = new Set<string>();
    for (const row of rows) {
      const record = byId.get(row.client_record_id);
      if (!record) continue;
      inserted.add(row.client_record_id);
      if (row.cost === null) unpricedIds.add(row.client_record_id);
      sources.push({ ...record, cost: row.cost });
    }
    for (const record of records) if (!inserted.has(record.clientRecordId)) duplicates.add(record.clientRecordId);
    await upsertRollups(client, buildRollupDeltas(sources, "hour"), buildRollupDeltas(sources, "day"));
    return { inserted, duplicates, unpricedIds, unpriced: unpricedIds.size };
  });
}
