import "server-only";
import { randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import { addLatencyRollups } from "@/lib/usage/latency-rollup";
import { RECORD_SQL } from "@/lib/usage/record-usage-sql";
import { PRICING_LOCK, withTransaction } from "@/lib/usage/transaction";

// The one write path for usage: ingestion, test calls and (later) the gateway all come through
// here. One transaction per batch and two round trips for the data: (1) one statement inserts the
// records with their cost priced in SQL from the price in force at occurred_at and adds exactly
// the inserted ones to the hourly and daily sums (data-modifying CTEs over the INSERT's
// RETURNING); (2) the latency histograms are merged into the narrow latency rollups.

export type UsageSource = "TEST" | "INGEST" | "GATEWAY";

export type UsageInput = {
  /** Idempotency id, unique per source. Omitted for test calls: a fresh one is assigned. */
  clientRecordId?: string;
  occurredAt: Date;
  providerId: string;
  modelId: string | null;
  keyId: string | null;
  tag: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  status: "OK" | "ERROR";
  errorClass: string | null;
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

function recordColumns(records: readonly (UsageInput & { clientRecordId: string })[]): unknown[] {
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

  // The pricing lock is shared with every other batch; reprice takes it exclusively (reprice.ts).
  return withTransaction(async (client: PoolClient) => {
    const { rows } = await client.query<{ client_record_id: string; cost: string | null }>({
      name: "usage-record-batch",
      text: RECORD_SQL,
      values: [options.source, options.ingestTokenId ?? null, ...recordColumns(records)],
    });
    const inserted = new Set<string>();
    const stored: UsageInput[] = [];
    const unpricedIds = new Set<string>();
    for (const row of rows) {
      const record = byId.get(row.client_record_id);
      if (!record) continue;
      inserted.add(row.client_record_id);
      stored.push(record);
      if (row.cost === null) unpricedIds.add(row.client_record_id);
    }
    for (const record of records) if (!inserted.has(record.clientRecordId)) duplicates.add(record.clientRecordId);
    await addLatencyRollups(client, stored);
    return { inserted, duplicates, unpricedIds, unpriced: unpricedIds.size };
  }, `SELECT pg_advisory_xact_lock_shared(${PRICING_LOCK})`);
}
