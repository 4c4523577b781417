import "server-only";
import { Pool } from "pg";
import { logger } from "@/lib/log/logger";

// Admission's own connections, committing without waiting for the WAL flush (synchronous_commit
// off): gateway_claim holds a key's window row locked until it commits, so one key's claims queue
// behind each other's commits, and an fsync each was most of that wait. A database crash can lose
// only the last moment's claims (a window count, a holding that expires by itself), never usage or
// money: the usage writer keeps durable commits on the shared pool.
let admissions: Pool | undefined;

export function admissionPool(): Pool {
  if (!admissions) {
    admissions = new Pool({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      options: "-c synchronous_commit=off",
    });
    admissions.on("error", (error) => logger.error("gateway admission pool error", { error }));
  }
  return admissions;
}

export async function closeAdmissionPool(): Promise<void> {
  const closing = admissions;
  admissions = undefined;
  await closing?.end();
}
