import "server-only";
import { pool } from "@/lib/db/client";
import { ALL_MODELS } from "@/lib/usage/buckets";
import {
  groupLatencyRows,
  percentilePoints,
  type LatencyGroup,
  type LatencyPoint,
  type LatencyRow,
} from "@/lib/usage/latency-aggregate";

// Latency, TTFT and error counts per hour or day and per provider or model, read from the narrow
// latency rollups (one row per hour/day × provider × model). The sparse histograms are merged in
// JS (typed arrays), far cheaper than unnesting them in SQL; they travel base64-encoded, which
// measured faster than node-postgres's hex bytea path.

export type { LatencyPoint } from "@/lib/usage/latency-aggregate";

export type LatencyQuery = {
  from: Date;
  /** Exclusive. */
  to: Date;
  providerId?: string | null;
  modelId?: string | null;
  /** "all": one point per series over the whole range (comparison table). */
  granularity: "hour" | "day" | "all";
  /** "none": one series over all providers and models. */
  groupBy: "provider" | "model" | "none";
};

type Column = "latency" | "ttft";

const DAY_MS = 86_400_000;
const wholeDays = (query: LatencyQuery) => query.from.getTime() % DAY_MS === 0 && query.to.getTime() % DAY_MS === 0;

export async function loadLatencyGroups(
  query: LatencyQuery,
  columns: readonly Column[] = ["latency", "ttft"],
): Promise<LatencyGroup[]> {
  const hourly = query.granularity === "hour" || (query.granularity === "all" && !wholeDays(query));
  const params: unknown[] = [query.from.toISOString(), query.to.toISOString()];
  const where = ["bucket >= $1::timestamptz", "bucket < $2::timestamptz"];
  if (query.providerId) where.push(`provider_id = $${params.push(query.providerId)}::uuid`);
  if (query.modelId) where.push(`model_id = $${params.push(query.modelId)}::uuid`);
  // Per-provider series (or the overall one) read the pre-merged "all models" rows.
  else where.push(query.groupBy === "model" ? `model_id <> '${ALL_MODELS}'::uuid` : `model_id = '${ALL_MODELS}'::uuid`);
  const period =
    query.granularity === "all" ? "'all'" : `to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const histograms = columns.map((column) => `, encode(${column}_hist, 'base64') AS ${column}_hist`).join("");
  const { rows } = await pool.query<{
    period: string;
    provider_id: string;
    model_id: string;
    requests: string;
    errors: string;
    errors_by_class: Record<string, number>;
    latency_hist?: string;
    ttft_hist?: string;
  }>(
    `SELECT ${period} AS period, provider_id::text AS provider_id, model_id::text AS model_id, requests::text AS requests,
       errors::text AS errors, errors_by_class${histograms}
     FROM ${hourly ? "usage_latency_hourly" : "usage_latency_daily"} WHERE ${where.join(" AND ")}`,
    params,
  );
  const latencyRows: LatencyRow[] = rows.map((row) => ({
    period: row.period,
    providerId: row.provider_id,
    modelId: row.model_id,
    requests: Number(row.requests),
    errors: Number(row.errors),
    errorsByClass: row.errors_by_class,
    latencyHist: row.latency_hist ? Buffer.from(row.latency_hist, "base64") : null,
    ttftHist: row.ttft_hist ? Buffer.from(row.ttft_hist, "base64") : null,
  }));
  return groupLatencyRows(latencyRows, query.groupBy);
}

export async function queryLatencyPercentiles(
  query: LatencyQuery,
  metric: Column = "latency",
): Promise<LatencyPoint[]> {
  return percentilePoints(await loadLatencyGroups(query, [metric]), metric);
}
