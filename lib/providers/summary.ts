import "server-only";
import { pool } from "@/lib/db/client";

export type ProviderSummaryData = { total: number; enabled: number; models: number };

// One round trip on every overview view (three ORM counts cost three query compilations).
export async function getProviderSummary(): Promise<ProviderSummaryData> {
  const { rows } = await pool.query<{ total: number; enabled: number; models: number }>(
    `SELECT (SELECT count(*) FROM providers WHERE archived_at IS NULL)::int AS total,
            (SELECT count(*) FROM providers WHERE archived_at IS NULL AND enabled)::int AS enabled,
            (SELECT count(*) FROM models m JOIN providers p ON p.id = m.provider_id WHERE p.archived_at IS NULL)::int AS models`,
  );
  const row = rows[0]!;
  return { total: row.total, enabled: row.enabled, models: row.models };
}
