import "server-only";
import { pool } from "@/lib/db/client";
import { jobLockKey } from "@/lib/jobs/run-exclusive";

// The run's cases as a durable queue in PostgreSQL (eval_case_results). A claim takes PENDING rows
// and RUNNING rows whose lease ran out (their worker died or was stopped) with FOR UPDATE SKIP
// LOCKED, so any number of instances share the work without taking a row twice. Claims for one
// run are serialised by a transaction-level advisory lock, so the live leases never exceed the
// run's concurrency across all instances together. Each claim bumps `attempts`: the attempt
// number names the usage record of that attempt's call.

/** Advisory-lock namespace for evaluation runs (next to the jobs' 742_200). */
const RUN_LOCK_NAMESPACE = 742_300;

export type Claimed = { id: string; attempts: number };

export async function claimResults(runId: string, limit: number, leaseMs: number): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [RUN_LOCK_NAMESPACE, jobLockKey(runId)]);
    const { rows } = await client.query<{ id: string; attempts: number }>(
      `WITH run AS (SELECT id, concurrency FROM eval_runs WHERE id = $1 AND status = 'RUNNING'),
       live AS (SELECT count(*)::int AS n FROM eval_case_results
                WHERE run_id = $1 AND status = 'RUNNING' AND lease_until > now()),
       picked AS (
         SELECT r.id FROM eval_case_results r JOIN eval_cases c ON c.id = r.case_id
         WHERE r.run_id = (SELECT id FROM run)
           AND (r.status = 'PENDING' OR (r.status = 'RUNNING' AND r.lease_until <= now()))
         ORDER BY c.position, r.target_id
         LIMIT LEAST($2::int, GREATEST(0, (SELECT concurrency FROM run) - (SELECT n FROM live)))
         FOR UPDATE OF r SKIP LOCKED)
       UPDATE eval_case_results r
          SET status = 'RUNNING', attempts = r.attempts + 1, claimed_at = now(),
              lease_until = now() + $3::int * interval '1 millisecond'
         FROM picked WHERE r.id = picked.id
       RETURNING r.id::text AS id, r.attempts`,
      [runId, limit, leaseMs],
    );
    await client.query("COMMIT");
    return rows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Extends the leases of rows this worker still holds (same attempt), while their calls run. */
export async function renewLeases(held: readonly Claimed[], leaseMs: number): Promise<void> {
  if (held.length === 0) return;
  await pool.query(
    `UPDATE eval_case_results r SET lease_until = now() + $3::int * interval '1 millisecond'
       FROM unnest($1::uuid[], $2::int[]) AS h(id, attempts)
      WHERE r.id = h.id AND r.attempts = h.attempts AND r.status = 'RUNNING'`,
    [held.map((row) => row.id), held.map((row) => row.attempts), leaseMs],
  );
}

/** Runs that are RUNNING, oldest start first. */
export async function runningRuns(): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    "SELECT id::text AS id FROM eval_runs WHERE status = 'RUNNING' ORDER BY started_at NULLS FIRST, id",
  );
  return rows.map((row) => row.id);
}

/** Marks the run DONE once no case is pending or running. */
export async function finishRunIfComplete(runId: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE eval_runs SET status = 'DONE', finished_at = now()
      WHERE id = $1 AND status = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM eval_case_results WHERE run_id = $1 AND status IN ('PENDING', 'RUNNING'))`,
    [runId],
  );
  return (rowCount ?? 0) > 0;
}
