import "server-only";
import { db, pool } from "@/lib/db/client";

// Raw-record retention: records older than a cutoff are deleted in batches of a few thousand,
// each batch its own short statement (no long transaction, no table-wide lock, ingestion goes
// on). The rollups are not touched: charts keep the history the raw rows no longer hold.

export const RETENTION_BATCH = 5000;

// Oldest first through the (occurred_at, id) index; ids make the batch exact under concurrency.
const DELETE_SQL = `DELETE FROM usage_records WHERE id IN (
  SELECT id FROM usage_records WHERE occurred_at < $1::timestamptz ORDER BY occurred_at, id LIMIT $2)`;

export type RetentionRun = { cutoff: string; deleted: number; batches: number; finished: boolean };

/**
 * Deletes raw records older than `cutoff`, batch by batch. Stops after `maxBatches` (a request
 * should not run for minutes; the rest goes in the next run) and reports whether it finished.
 */
export async function deleteRawRecordsBefore(
  cutoff: Date,
  options: { batchSize?: number; maxBatches?: number; onBatch?: (deletedSoFar: number) => void } = {},
): Promise<RetentionRun> {
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  let deleted = 0;
  let batches = 0;
  for (;;) {
    if (batches >= maxBatches) return { cutoff: cutoff.toISOString(), deleted, batches, finished: false };
    const { rowCount } = await pool.query(DELETE_SQL, [cutoff.toISOString(), batchSize]);
    batches += 1;
    deleted += rowCount ?? 0;
    options.onBatch?.(deleted);
    if ((rowCount ?? 0) < batchSize) return { cutoff: cutoff.toISOString(), deleted, batches, finished: true };
  }
}

export function cutoffFor(days: number, now = new Date()): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

export type RetentionSettings = { retentionDays: number | null; updatedAt: Date | null };

export async function getRetentionSettings(): Promise<RetentionSettings> {
  const row = await db.usageSettings.findUnique({ where: { id: 1 }, select: { retentionDays: true, updatedAt: true } });
  return { retentionDays: row?.retentionDays ?? null, updatedAt: row?.updatedAt ?? null };
}

export type RawRecordSpan = { oldest: Date | null; total: number; olderThanCutoff: number | null };

/** What retention would touch: the oldest raw record and (estimated cheaply) how many there are. */
export async function rawRecordSpan(cutoff: Date | null): Promise<RawRecordSpan> {
  const [oldest, total] = await Promise.all([
    pool.query<{ at: Date | null }>("SELECT min(occurred_at) AS at FROM usage_records"),
    // The planner's row estimate: exact counts of 10M rows cost seconds and are not needed here.
    pool.query<{ n: string }>(
      "SELECT greatest(reltuples, 0)::int8::text AS n FROM pg_class WHERE relname = 'usage_records'",
    ),
  ]);
  let older: number | null = null;
  if (cutoff) {
    // Counted up to a cap through the index, so a huge backlog answers "10,000+" quickly.
    const { rows } = await pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM (SELECT 1 FROM usage_records WHERE occurred_at < $1 LIMIT 10001) s",
      [cutoff],
    );
    older = Number(rows[0]?.n ?? 0);
  }
  return { oldest: oldest.rows[0]?.at ?? null, total: Number(total.rows[0]?.n ?? 0), olderThanCutoff: older };
}
