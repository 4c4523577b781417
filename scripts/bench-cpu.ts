import fs from "node:fs";
import type { Pool } from "pg";

// CPU used by this database's PostgreSQL client backends (one process per connection), read from
// /proc: with the bench process's own CPU it gives the ingestion's CPU cost per record, which
// means something on a machine shared with other work where wall-clock rates do not.

const USER_HZ = 100;

/** Seconds of user + system CPU so far, or null when the server is not a local Linux process. */
export async function backendCpuSeconds(pool: Pool): Promise<number | null> {
  const { rows } = await pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
  );
  let total = 0;
  for (const { pid } of rows) {
    const seconds = processCpuSeconds(pid);
    if (seconds === null) return null;
    total += seconds;
  }
  return total;
}

/** User + system CPU seconds of one local process so far, or null when it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after "(comm) ": state is the 3rd field of stat, utime the 14th, stime the 15th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return null;
  }
}
