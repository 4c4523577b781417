import "server-only";
import { pool } from "@/lib/db/client";
import { bucketRepresentative } from "@/lib/usage/histogram";
import { filterSql, type UsageFilters } from "@/lib/usage/usage-filters";

// p50/p95/p99 of total latency and TTFT per hour or day and per provider or model, from the
// histograms in the rollups. The percentile is computed in SQL (cumulative sums over merged bucket
// counts, nearest rank) so only a handful of numbers per point leave the database.

export type LatencyQuery = UsageFilters & { granularity: "hour" | "day" | "all"; groupBy: "provider" | "model" };

export type LatencyPoint = {
  /** ISO start of the hour/day; "all" for whole-range rows (comparison table). */
  period: string;
  seriesId: string;
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

type Row = { period: string; series: string; total: string; p50: number | null; p95: number | null; p99: number | null };

function percentileSql(histColumn: "latency_hist" | "ttft_hist", query: LatencyQuery): { sql: string; params: unknown[] } {
  const table = query.granularity === "hour" ? "usage_rollup_hourly" : "usage_rollup_daily";
  const { where, params } = filterSql(query, "bucket", false);
  const period = query.granularity === "all" ? "'all'" : `to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const series = query.groupBy === "provider" ? "provider_id::text" : "model_id::text";
  const sql = `
WITH merged AS (
  SELECT ${period} AS period, ${series} AS series, u.i, sum(u.c) AS c
  FROM ${table} r, unnest(r.${histColumn}) WITH ORDINALITY AS u(c, i)
  WHERE ${where} AND r.${histColumn} IS NOT NULL AND u.c > 0
  GROUP BY 1, 2, 3
), running AS (
  SELECT period, series, i, sum(c) OVER (PARTITION BY period, series ORDER BY i) AS cum,
    sum(c) OVER (PARTITION BY period, series) AS total
  FROM merged
)
SELECT period, series, max(total)::text AS total,
  min(i) FILTER (WHERE cum >= ceil(0.50 * total))::int - 1 AS p50,
  min(i) FILTER (WHERE cum >= ceil(0.95 * total))::int - 1 AS p95,
  min(i) FILTER (WHERE cum >= ceil(0.99 * total))::int - 1 AS p99
FROM running GROUP BY 1, 2 ORDER BY 1, 2`;
  return { sql, params };
}

const toMs = (index: number | null) => (index === null ? null : bucketRepresentative(index));

export async function queryLatencyPercentiles(query: LatencyQuery, metric: "latency" | "ttft" = "latency"): Promise<LatencyPoint[]> {
  const { sql, params } = percentileSql(metric === "latency" ? "latency_hist" : "ttft_hist", query);
  const { rows } = await pool.query<Row>(sql, params);
  return rows.map((row) => ({ period: row.period, seriesId: row.series, count: Number(row.total), p50: toMs(row.p50), p95: toMs(row.p95), p99: toMs(row.p99) }));
}

export type ErrorRatePoint = { period: string; seriesId: string; requests: number; errors: number; byClass: Record<string, number> };

export async function queryErrorRates(query: LatencyQuery): Promise<ErrorRatePoint[]> {
  const table = query.granularity === "hour" ? "usage_rollup_hourly" : "usage_rollup_daily";
  const { where, params } = filterSql(query, "bucket", false);
  const period = query.granularity === "all" ? "'all'" : `to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const series = query.groupBy === "provider" ? "provider_id::text" : "model_id::text";
  const { rows } = await pool.query<{ period: string; series: string; requests: string; errors: string; by_class: Record<string, string | number> }>(
    `SELECT ${period} AS period, ${series} AS series, sum(requests)::text AS requests, sum(errors)::text AS errors,
       coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT k, sum(v::int8) AS n FROM unnest(array_agg(errors_by_class)) AS j(obj), jsonb_each_text(j.obj) AS e(k, v) GROUP BY k) s), '{}') AS by_class
     FROM ${table} WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  return rows.map((row) => ({
    period: row.period,
    seriesId: row.series,
    requests: Number(row.requests),
    errors: Number(row.errors),
    byClass: Object.fromEntries(Object.entries(row.by_class).map(([k, v]) => [k, Number(v)])),
  }));
}
