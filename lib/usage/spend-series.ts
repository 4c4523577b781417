import "server-only";
import { pool } from "@/lib/db/client";
import { DIMENSION_COLUMN, filterSql, type Dimension, type UsageFilters } from "@/lib/usage/usage-filters";

// Spend per day/week/month and per provider/model/key/tag/team/gateway key, from the daily rollup
// only. Costs come back as exact decimal strings; unpriced requests are counted beside them, never
// as $0, and so are requests whose tokens a tokenizer estimated (the provider reported none).

export type SpendPeriod = "day" | "week" | "month";

export type SpendQuery = UsageFilters & { period: SpendPeriod; groupBy: Dimension };

export type SpendRow = {
  /** First day of the period, YYYY-MM-DD (UTC; weeks start on Monday). */
  period: string;
  seriesId: string;
  cost: string;
  unpriced: number;
  estimated: number;
  requests: number;
  errors: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
};

type Row = {
  period: string;
  series: string;
  cost: string;
  unpriced: string;
  estimated: string;
  requests: string;
  errors: string;
  input: string;
  cached: string;
  output: string;
};

const PERIODS: Record<SpendPeriod, string> = { day: "day", week: "week", month: "month" };

export async function querySpend(query: SpendQuery): Promise<SpendRow[]> {
  const { where, params } = filterSql(query, "bucket", false);
  const sql = `
SELECT to_char(date_trunc('${PERIODS[query.period]}', bucket AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
  ${DIMENSION_COLUMN[query.groupBy]} AS series,
  sum(cost_sum)::text AS cost, sum(unpriced_count)::text AS unpriced, sum(estimated_count)::text AS estimated,
  sum(requests)::text AS requests,
  sum(errors)::text AS errors, sum(input_tokens)::text AS input, sum(cached_input_tokens)::text AS cached,
  sum(output_tokens)::text AS output
FROM usage_rollup_daily
WHERE ${where}
GROUP BY 1, 2
ORDER BY 1, 2`;
  const { rows } = await pool.query<Row>(sql, params);
  return rows.map((row) => ({
    period: row.period,
    seriesId: row.series,
    cost: row.cost,
    unpriced: Number(row.unpriced),
    estimated: Number(row.estimated),
    requests: Number(row.requests),
    errors: Number(row.errors),
    inputTokens: Number(row.input),
    cachedInputTokens: Number(row.cached),
    outputTokens: Number(row.output),
  }));
}

export type SpendTotal = { seriesId: string; cost: string; unpriced: number; estimated: number; requests: number };

/** Whole-range totals per series (e.g. per provider for the latency page's comparison table). */
export async function querySpendTotals(filters: UsageFilters, groupBy: Dimension): Promise<SpendTotal[]> {
  const { where, params } = filterSql(filters, "bucket", false);
  const { rows } = await pool.query<{
    series: string;
    cost: string;
    unpriced: string;
    estimated: string;
    requests: string;
  }>(
    `SELECT ${DIMENSION_COLUMN[groupBy]} AS series, sum(cost_sum)::text AS cost, sum(unpriced_count)::text AS unpriced,
       sum(estimated_count)::text AS estimated, sum(requests)::text AS requests
     FROM usage_rollup_daily WHERE ${where} GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows.map((row) => ({
    seriesId: row.series,
    cost: row.cost,
    unpriced: Number(row.unpriced),
    estimated: Number(row.estimated),
    requests: Number(row.requests),
  }));
}
