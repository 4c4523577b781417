import "server-only";
import { pool } from "@/lib/db/client";
import type { PoolClient } from "pg";
import type { Lease } from "@/lib/gateway/admission";
import type { AttemptRecord } from "@/lib/gateway/attempts";
import { settle, SETTLE_HOLDINGS_SQL } from "@/lib/gateway/allowances";
import { redisLimiter } from "@/lib/gateway/redis-limits";
import { logger } from "@/lib/log/logger";
import { recordUsage, type UsageInput } from "@/lib/usage/record-usage";

// Usage records leave the caller's critical path: each request's record is queued and written in
// batches every GATEWAY_FLUSH_MS (default 100 ms) or at GATEWAY_FLUSH_BATCH records, through the
// one usage write path (priced in SQL, rollups and budget counters in the same statement). The
// batch's budget reservations are settled in the same transaction: the reserved maximum disappears
// exactly when the real cost lands. A failed batch is kept and written again (ids make it idempotent). A
// graceful shutdown flushes everything; a crash loses at most what was queued since the last flush
// (measured in docs/gateway.md).

export type QueuedUsage = {
  record: UsageInput & { clientRecordId: string };
  lease: Lease | null;
  totalTokens: number;
  /** The request's provider attempts (lib/gateway/attempts.ts), kept with its record. */
  attempts?: AttemptRecord[];
};

const FLUSH_MS = Number(process.env.GATEWAY_FLUSH_MS ?? 100);
const FLUSH_BATCH = Number(process.env.GATEWAY_FLUSH_BATCH ?? 1000);
/** Past this many unwritten records (the database is down) new ones are dropped and logged. */
const MAX_QUEUE = 200_000;

let queue: QueuedUsage[] = [];
let flushing: Promise<void> | null = null;
let timer: NodeJS.Timeout | undefined;
let written = 0;
let dropped = 0;

export function usageWriterStats() {
  return { queued: queue.length, written, dropped };
}

export function enqueueUsage(entry: QueuedUsage): void {
  if (queue.length >= MAX_QUEUE) {
    dropped += 1;
    if (dropped % 1000 === 1) logger.error("gateway usage queue full: records dropped", { dropped });
    return;
  }
  queue.push(entry);
  if (queue.length >= FLUSH_BATCH) void flushUsage();
}

// Attempts are kept for requests through a route and for any request that needed more than one
// (a retry, a refused key); a direct call's one attempt is its usage record already, and writing
// it again doubled the rows per request (lib/usage/request-detail.ts shows it from the record).
const attemptsKept = (entry: QueuedUsage) => (entry.attempts?.length ?? 0) > 1 || Boolean(entry.record.routeId);

async function insertAttempts(client: PoolClient, batch: readonly QueuedUsage[]): Promise<void> {
  const rows = batch
    .filter(attemptsKept)
    .flatMap((entry) =>
      (entry.attempts ?? []).map((attempt) => ({ requestId: entry.record.clientRecordId, ...attempt })),
    );
  if (rows.length === 0) return;
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  await client.query({
    name: "gateway-attempts",
    text: `INSERT INTO gateway_attempts (request_id, attempt, provider_id, model_id, key_id, key_last4, http_status, error_class, latency_ms, started_at)
           SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::int[], $8::text[], $9::int[], $10::timestamptz[])`,
    values: [
      column((r) => r.requestId),
      column((r) => r.attempt),
      column((r) => r.providerId),
      column((r) => r.modelId),
      column((r) => r.keyId),
      column((r) => r.keyLast4),
      column((r) => r.httpStatus),
      column((r) => r.errorClass),
      column((r) => r.latencyMs),
      column((r) => r.startedAt.toISOString()),
    ],
  });
}

// Each record's real cost comes off its instance's budget holding in the transaction that adds it
// to the counters, so the reservation and the cost never both count, nor neither.
async function settleHoldings(client: PoolClient, batch: readonly QueuedUsage[]): Promise<Map<string, string>> {
  const held = batch.filter((entry) => entry.lease?.taken && !entry.lease.taken.amount.isZero());
  const costs = new Map<string, string>();
  if (held.length === 0) return costs;
  const { rows } = await client.query<{ request_id: string; cost: string }>({
    name: "gateway-settle-holdings",
    text: SETTLE_HOLDINGS_SQL,
    values: [held.map((entry) => entry.lease!.taken!.holding.id), held.map((entry) => entry.record.clientRecordId)],
  });
  for (const row of rows) costs.set(row.request_id, row.cost);
  return costs;
}

// Tokens per minute: admission counted the prompt estimate; add what the answer really used. Its
// own statement after the batch commits, so the record transaction never holds a key's window row.
async function settleTokens(batch: readonly QueuedUsage[]): Promise<void> {
  const deltas = new Map<string, number>();
  const redis = redisLimiter();
  for (const entry of batch) {
    const lease = entry.lease;
    if (!lease) continue;
    const delta = entry.totalTokens - lease.promptTokens;
    if (lease.inRedis) void redis?.addTokens(lease.keyId, delta);
    if (lease.tokensInPostgres && delta !== 0) deltas.set(lease.keyId, (deltas.get(lease.keyId) ?? 0) + delta);
  }
  if (deltas.size === 0) return;
  const keys = [...deltas.keys()].sort();
  await pool.query({
    name: "gateway-settle-tokens",
    text: `UPDATE gateway_key_windows w SET tokens = greatest(0, w.tokens + d.delta)
             FROM unnest($1::uuid[], $2::bigint[]) AS d(key_id, delta)
            WHERE w.gateway_key_id = d.key_id AND w.window_start = date_trunc('minute', clock_timestamp())`,
    values: [keys, keys.map((key) => deltas.get(key) ?? 0)],
  });
}

async function writeBatch(batch: QueuedUsage[]): Promise<void> {
  let costs = new Map<string, string>();
  await recordUsage(
    batch.map((entry) => entry.record),
    {
      source: "GATEWAY",
      beforeInsert: (client) => insertAttempts(client, batch),
      // Right after the budget counters, the transaction's last statements: the reservation turns
      // into the real cost at one instant, and the counter rows are held only until COMMIT.
      afterSpend: async (client) => {
        costs = await settleHoldings(client, batch);
      },
    },
  );
  written += batch.length;
  for (const entry of batch) settle(entry.lease?.taken ?? null, costs.get(entry.record.clientRecordId));
  await settleTokens(batch).catch((error: unknown) => logger.warn("gateway token settle failed", { error }));
}

/** Writes everything queued so far (waits for a flush already running first). */
export async function flushUsage(): Promise<void> {
  while (flushing) await flushing;
  if (queue.length === 0) return;
  const batch = queue;
  queue = [];
  flushing = writeBatch(batch)
    .catch((error: unknown) => {
      logger.error("gateway usage batch failed; it will be written again", { error, records: batch.length });
      queue = batch.concat(queue);
    })
    .finally(() => {
      flushing = null;
    });
  await flushing;
}

export function startUsageWriter(): void {
  if (timer) return;
  const tick = () =>
    void flushUsage().finally(() => {
      timer = setTimeout(tick, FLUSH_MS);
    });
  timer = setTimeout(tick, FLUSH_MS);
}

/** Graceful shutdown: stop the timer and write every queued record. */
export async function stopUsageWriter(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  for (let attempt = 0; attempt < 5 && (queue.length > 0 || flushing); attempt += 1) await flushUsage();
}
