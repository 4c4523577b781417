import "server-only";
import { pool } from "@/lib/db/client";
import { totalSavings, type CacheSavings } from "@/lib/usage/cache-savings";
import { filterSql, type UsageFilters } from "@/lib/usage/usage-filters";

/** Cache savings over the spend page's range and filters, from the daily rollup (per route, then summed). */
export async function queryCacheSavings(filters: UsageFilters): Promise<CacheSavings> {
  const { where, params } = filterSql(filters, "bucket", false);
  const { rows } = await pool.query<{ saved: string; cached: string }>(
    `SELECT sum(saved_cost_sum)::text AS saved, sum(cached_count)::text AS cached
       FROM usage_rollup_daily WHERE ${where} AND cached_count > 0 GROUP BY route_id`,
    params,
  );
  return totalSavings(rows.map((row) => ({ savedCostSum: row.saved, cachedCount: Number(row.cached) })));
}
