import "server-only";
import { randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import { addLatencyRollups } from "@/lib/usage/latency-rollup";
import { intArray, textArray } from "@/lib/usage/pg-arrays";
import { RECORD_SQL, SPEND_SQL } from "@/lib/usage/record-usage-sql";
import { PRICING_LOCK, withTransaction } from "@/lib/usage/transaction";

// The one write path for usage: ingestion, test calls and (later) the gateway all come through
// here. One transaction per batch and two round trips for the data: (1) one statement inserts the
// records with their cost priced in SQL from the price in force at occurred_at and adds exactly
// the inserted ones to the hourly and daily sums (data-modifying CTEs over the INSERT's
// RETURNING); (2) the latency histograms are merged into the narrow latency rollups.

export type UsageSource = "TEST" | "INGEST" | "GATEWAY" | "EVAL" | "FINE_TUNE";

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
  status: "OK" | "ERROR" | "CANCELLED";
  errorClass: string | null;
  httpStatus: number | null;
  /** Gateway requests only: the console-issued key and its team. */
  gatewayKeyId?: string | null;
  teamId?: string | null;
  /** Token counts from a tokenizer (the provider reported none). */
  estimated?: boolean;
  /** Gateway requests that named a route, and whether the route's cache answered. */
  routeId?: string | null;
  cached?: boolean;
};

export type RecordUsageResult = {
  /** Client ids stored now, and those already stored earlier (or twice in this batch). */
  inserted: Set<string>;
  duplicates: Set<string>;
  /** Inserted ids with no price in force at occurred_at: stored as "unpriced", cost NULL. */
  unpricedIds: Set<string>;
  unpriced: number;
  /** Ids left out because their cost exceeds what usage_records.cost can hold (record-usage-sql.ts). */
  costOutOfRange: Set<string>;
};

function recordColumns(records: readonly (UsageInput & { clientRecordId: string })[]): string[] {
  const column = <T>(pick: (record: UsageInput & { clientRecordId: string }) => T) => records.map(pick);
  return [
    textArray(column((r) => r.clientRecordId)),
    textArray(column((r) => r.occurredAt.toISOString())),
    textArray(column((r) => r.providerId)),
    textArray(column((r) => r.modelId)),
    textArray(column((r) => r.keyId)),
    textArray(column((r) => r.tag)),
    intArray(column((r) => r.inputTokens)),
    intArray(column((r) => r.cachedInputTokens)),
    intArray(column((r) => r.outputTokens)),
    intArray(column((r) => r.latencyMs)),
    intArray(column((r) => r.ttftMs)),
    textArray(column((r) => r.status)),
    textArray(column((r) => r.errorClass)),
    intArray(column((r) => r.httpStatus)),
    textArray(column((r) => r.gatewayKeyId ?? null)),
    textArray(column((r) => r.teamId ?? null)),
    textArray(column((r) => (r.estimated ? "t" : "f"))),
    textArray(column((r) => r.routeId ?? null)),
    textArray(column((r) => (r.cached ? "t" : "f"))),
  ];
}

function hasClientId(record: UsageInput): record is UsageInput & { clientRecordId: string } {
  return record.clientRecordId !== undefined;
}

export async function recordUsage(
  input: readonly UsageInput[],
  options: {
    source: UsageSource;
    ingestTokenId?: string | null;
    /** Runs first in the same transaction (the gateway stores its attempts there). */
    beforeInsert?: (client: PoolClient) => Promise<void>;
    /** Runs last, right after the budget counters (the gateway settles its budget leases there). */
    afterSpend?: (client: PoolClient) => Promise<void>;
  },
): Promise<RecordUsageResult> {
  const duplicates = new Set<string>();
  const byId = new Map<string, UsageInput & { clientRecordId: string }>();
  for (const record of input) {
    const withId = hasClientId(record) ? record : { ...record, clientRecordId: randomUUID() };
    if (byId.has(withId.clientRecordId)) duplicates.add(withId.clientRecordId);
    else byId.set(withId.clientRecordId, withId);
  }
  // Sorted ids: two batches sharing ids wait on each other in the same order, never in a cycle.
  const records = [...byId.values()].sort((a, b) =>
    a.clientRecordId < b.clientRecordId ? -1 : a.clientRecordId > b.clientRecordId ? 1 : 0,
  );
  if (records.length === 0)
    return { inserted: new Set(), duplicates, unpricedIds: new Set(), unpriced: 0, costOutOfRange: new Set() };

  // The pricing lock is shared with every other batch; reprice takes it exclusively (reprice.ts).
  return withTransaction(async (client: PoolClient) => {
    await options.beforeInsert?.(client);
    // One row: the ids actually inserted (others were already stored), split by priced or not.
    const { rows } = await client.query<{ priced: string[]; unpriced: string[]; cost_out_of_range: string[] }>({
      name: "usage-record-batch",
      text: RECORD_SQL,
      values: [options.source, options.ingestTokenId ?? null, ...recordColumns(records)],
    });
    const unpricedIds = new Set(rows[0]?.unpriced ?? []);
    const inserted = new Set([...(rows[0]?.priced ?? []), ...unpricedIds]);
    const costOutOfRange = new Set(rows[0]?.cost_out_of_range ?? []);
    const stored = records.filter((record) => inserted.has(record.clientRecordId));
    for (const record of records)
      if (!inserted.has(record.clientRecordId) && !costOutOfRange.has(record.clientRecordId))
        duplicates.add(record.clientRecordId);
    await addLatencyRollups(client, stored);
    if (inserted.size > 0)
      await client.query({ name: "usage-spend-counters", text: SPEND_SQL, values: [options.source, [...inserted]] });
    await options.afterSpend?.(client);
    return { inserted, duplicates, unpricedIds, unpriced: unpricedIds.size, costOutOfRange };
  }, `SELECT pg_advisory_xact_lock_shared(${PRICING_LOCK})`);
}
