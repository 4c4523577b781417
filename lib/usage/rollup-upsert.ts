import "server-only";
import type { PoolClient } from "pg";
import type { RollupDelta } from "@/lib/usage/rollup-groups";

// Adds rollup deltas to usage_rollup_hourly / _daily in one statement per table. Runs inside the
// transaction that inserted the records, so a committed record is always counted exactly once.
// Deltas arrive sorted (rollup-groups.ts) and jsonb_to_recordset keeps that order, so concurrent
// batches take row locks in the same order.

export const ROLLUP_TABLES = { hour: "usage_rollup_hourly", day: "usage_rollup_daily" } as const;

function upsertSql(table: (typeof ROLLUP_TABLES)[keyof typeof ROLLUP_TABLES]): string {
  return `
INSERT INTO ${table} AS r (bucket, provider_id, model_id, key_id, tag, requests, errors, errors_by_class,
  input_tokens, cached_input_tokens, output_tokens, cost_sum, unpriced_count,
  latency_sum_ms, latency_hist, ttft_count, ttft_sum_ms, ttft_hist)
SELECT bucket, provider_id, model_id, key_id, tag, requests, errors, errors_by_class,
  input_tokens, cached_input_tokens, output_tokens, cost_sum, unpriced_count,
  latency_sum_ms, latency_hist, ttft_count, ttft_sum_ms, ttft_hist
FROM jsonb_to_recordset($1::jsonb) AS d(bucket timestamptz, provider_id uuid, model_id uuid, key_id uuid, tag text,
  requests int8, errors int8, errors_by_class jsonb, input_tokens int8, cached_input_tokens int8, output_tokens int8,
  cost_sum numeric, unpriced_count int8, latency_sum_ms int8, latency_hist int8[], ttft_count int8, ttft_sum_ms int8, ttft_hist int8[])
ON CONFLICT (bucket, provider_id, model_id, key_id, tag) DO UPDATE SET
  requests = r.requests + EXCLUDED.requests,
  errors = r.errors + EXCLUDED.errors,
  errors_by_class = CASE WHEN EXCLUDED.errors = 0 THEN r.errors_by_class ELSE usage_counts_add(r.errors_by_class, EXCLUDED.errors_by_class) END,
  input_tokens = r.input_tokens + EXCLUDED.input_tokens,
  cached_input_tokens = r.cached_input_tokens + EXCLUDED.cached_input_tokens,
  output_tokens = r.output_tokens + EXCLUDED.output_tokens,
  cost_sum = r.cost_sum + EXCLUDED.cost_sum,
  unpriced_count = r.unpriced_count + EXCLUDED.unpriced_count,
  latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
  latency_hist = usage_hist_add(r.latency_hist, EXCLUDED.latency_hist),
  ttft_count = r.ttft_count + EXCLUDED.ttft_count,
  ttft_sum_ms = r.ttft_sum_ms + EXCLUDED.ttft_sum_ms,
  ttft_hist = CASE WHEN EXCLUDED.ttft_count = 0 THEN r.ttft_hist ELSE usage_hist_add(r.ttft_hist, EXCLUDED.ttft_hist) END`;
}

const SQL = { hour: upsertSql(ROLLUP_TABLES.hour), day: upsertSql(ROLLUP_TABLES.day) };

export async function upsertRollups(client: PoolClient, hourly: RollupDelta[], daily: RollupDelta[]): Promise<void> {
  // Hourly before daily in every transaction: the same lock order everywhere.
  if (hourly.length) await client.query(SQL.hour, [JSON.stringify(hourly)]);
  if (daily.length) await client.query(SQL.day, [JSON.stringify(daily)]);
}
