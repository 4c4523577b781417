import "server-only";
import { pool } from "@/lib/db/client";
import type { RouteRollupRow } from "@/lib/routes/latency-series";

/** The hourly rollups of requests that named this route, per target, from `from` on. */
export async function routeRollups(routeId: string, from: Date): Promise<RouteRollupRow[]> {
  const { rows } = await pool.query<{
    bucket: Date;
    target_key: string;
    requests: string;
    errors: string;
    latency_sum_ms: string;
    ttft_count: string;
    ttft_sum_ms: string;
  }>(
    `SELECT bucket, provider_id::text || ':' || model_id::text AS target_key,
            sum(requests)::text AS requests, sum(errors)::text AS errors, sum(latency_sum_ms)::text AS latency_sum_ms,
            sum(ttft_count)::text AS ttft_count, sum(ttft_sum_ms)::text AS ttft_sum_ms
       FROM usage_rollup_hourly
      WHERE route_id = $1::uuid AND bucket >= $2::timestamptz
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [routeId, new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000).toISOString()],
  );
  return rows.map((row) => ({
    bucket: row.bucket,
    targetKey: row.target_key,
    requests: Number(row.requests),
    errors: Number(row.errors),
    latencySumMs: Number(row.latency_sum_ms),
    ttftCount: Number(row.ttft_count),
    ttftSumMs: Number(row.ttft_sum_ms),
  }));
}

const HOUR_MS = 3_600_000;

/** The last `hours` whole hours up to and including the current one, and their rollups. */
export async function recentRouteRollups(
  routeId: string,
  hours: number,
  now = new Date(),
): Promise<{ from: Date; rows: RouteRollupRow[] }> {
  const from = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
  return { from, rows: await routeRollups(routeId, from) };
}
