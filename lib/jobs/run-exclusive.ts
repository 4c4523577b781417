import "server-only";
import type { Pool } from "pg";

// Scheduled jobs run on every instance's timer, but each must run once across the fleet: a
// session-level PostgreSQL advisory lock, taken with pg_try_advisory_lock on one dedicated
// connection, decides which instance runs it; the others skip this tick. No extra service is
// needed, and a crashed holder releases the lock when its connection dies.

/** First key of the two-key advisory lock space for named jobs (next to the scheduler's 742_101). */
export const JOB_LOCK_NAMESPACE = 742_200;

/** A stable 32-bit key for a job name (FNV-1a), the second half of the two-key lock. */
export function jobLockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `fn` only if no other connection holds the job's lock; otherwise returns `{ ran: false }`
 * at once. The lock is held on its own pool connection for the whole run and released after.
 */
export async function runExclusive<T>(name: string, fn: () => Promise<T>, pool?: Pool): Promise<ExclusiveOutcome<T>> {
  const usePool = pool ?? (await import("@/lib/db/client")).pool;
  const client = await usePool.connect();
  const key = jobLockKey(name);
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [
      JOB_LOCK_NAMESPACE,
      key,
    ]);
    if (!rows[0]?.locked) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [JOB_LOCK_NAMESPACE, key]);
    }
  } finally {
    client.release();
  }
}
