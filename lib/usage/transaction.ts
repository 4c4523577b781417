import "server-only";
import type { PoolClient } from "pg";
import { pool } from "@/lib/db/client";

// Usage writes use pg directly (unnest arrays, jsonb_to_recordset, advisory locks): the batch
// statements are the hot path of ingestion and have no Prisma equivalent.

/** Advisory lock key: ingestion holds it shared, repricing exclusively. */
export const PRICING_LOCK = 742_001;

const DEADLOCK = "40P01";
const MAX_ATTEMPTS = 3;

function isDeadlock(error: unknown): boolean {
  return !!error && typeof error === "object" && "code" in error && error.code === DEADLOCK;
}

/**
 * Runs `work` in one transaction on a pooled connection. A deadlock (which the fixed lock order
 * should prevent) is retried: the batch is idempotent, so running it again is safe. `firstSql`
 * (parameterless) is sent with BEGIN in one round trip.
 */
export async function withTransaction<T>(work: (client: PoolClient) => Promise<T>, firstSql?: string): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    try {
      await client.query(firstSql ? `BEGIN; ${firstSql}` : "BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      if (!isDeadlock(error) || attempt >= MAX_ATTEMPTS) throw error;
    } finally {
      client.release();
    }
  }
}
