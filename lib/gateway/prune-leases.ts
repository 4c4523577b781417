import "server-only";
import { pool } from "@/lib/db/client";

// Leases left by a gateway instance that died mid-request stop counting at expires_at; this
// deletes them (and per-key windows idle for a day) so the tables stay small.
export async function pruneGatewayLeases(): Promise<{ leases: number; windows: number }> {
  const leases = await pool.query("DELETE FROM gateway_leases WHERE expires_at < now()");
  const windows = await pool.query("DELETE FROM gateway_key_windows WHERE window_start < now() - interval '1 day'");
  return { leases: leases.rowCount ?? 0, windows: windows.rowCount ?? 0 };
}
