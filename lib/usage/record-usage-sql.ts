import { bucketSql, NONE_ID, type Granularity } from "@/lib/usage/buckets";
import { limitsIdSql } from "@/lib/gateway-keys/lineage";

// The statement behind recordUsage (record-usage.ts): insert a batch priced in SQL, and add the
// rows actually inserted (not the duplicates) to the hourly and daily sums in the same statement.

// Cost = (uncached input × input price + cached input × cached price (input price when the model
// has none) + output × output price) / 1M, rounded once to DECIMAL(20,10). Multiplying by 0.000001
// keeps numeric arithmetic exact (division would pick its own scale).
// A FINE_TUNE record (lib/fine-tuning) is a training run: its input tokens are the trained tokens,
// priced at the model's training price (NULL when unknown: the record is unpriced, never $0).
// `source` is the SQL expression of the record's source.
export const costSql = (source: string) => `CASE WHEN ${source} = 'FINE_TUNE'
  THEN round(i.input_tokens::numeric * mp.training_per_mtok * 0.000001, 10)
  ELSE round((((i.input_tokens - i.cached_input_tokens)::numeric * mp.input_per_mtok
  + i.cached_input_tokens::numeric * coalesce(mp.cached_input_per_mtok, mp.input_per_mtok)
  + i.output_tokens::numeric * mp.output_per_mtok) * 0.000001), 10) END`;

const INPUT_SQL = `
i AS (
  SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::uuid[], $8::text[], $9::int4[], $10::int4[],
    $11::int4[], $12::int4[], $13::int4[], $14::"UsageStatus"[], $15::text[], $16::int4[], $17::uuid[], $18::uuid[], $19::bool[], $20::uuid[], $21::bool[])
  AS t(client_record_id, occurred_at, provider_id, model_id, key_id, tag, input_tokens, cached_input_tokens,
    output_tokens, latency_ms, ttft_ms, status, error_class, http_status, gateway_key_id, team_id, estimated, route_id, cached)
)`;

// usage_records.cost is DECIMAL(20,10): a cost of 10^10 or more (huge token counts at a huge
// price) would fail the whole statement, so such a record is left out and reported on its own.
export const MAX_COST_EXCLUSIVE = "10000000000";

// A cache hit (cached) costs nothing; what it would have cost is kept as saved_cost, and it counts
// as priced (its cost, 0, is known) even when the model has no price.
const PRICED_SQL = `
costed AS (
  SELECT i.*, CASE WHEN coalesce(i.cached, false) THEN coalesce(p.id, '${NONE_ID}'::uuid)
    WHEN p.cost IS NULL THEN NULL ELSE p.id END AS price_id,
    CASE WHEN coalesce(i.cached, false) THEN 0::numeric ELSE p.cost END AS cost,
    CASE WHEN coalesce(i.cached, false) THEN p.cost END AS saved_cost
  FROM i
  LEFT JOIN LATERAL (
    SELECT mp.id, ${costSql('$1::"UsageSource"')} AS cost
    FROM model_prices mp
    WHERE mp.model_id = i.model_id AND mp.effective_from <= i.occurred_at
    ORDER BY mp.effective_from DESC
    LIMIT 1
  ) p ON true
)`;

const INSERT_SQL = `
INSERT INTO usage_records (source, ingest_token_id, client_record_id, occurred_at, provider_id, model_id, key_id, tag,
  input_tokens, cached_input_tokens, output_tokens, latency_ms, ttft_ms, status, error_class, http_status, cost, priced, price_id,
  gateway_key_id, team_id, estimated, route_id, cached, saved_cost)
SELECT $1::"UsageSource", $2::uuid, client_record_id, occurred_at, provider_id, model_id, key_id, tag,
  input_tokens, cached_input_tokens, output_tokens, latency_ms, ttft_ms, status, error_class, http_status,
  cost, price_id IS NOT NULL, nullif(price_id, '${NONE_ID}'::uuid), gateway_key_id, team_id, coalesce(estimated, false),
  route_id, coalesce(cached, false), saved_cost
FROM costed
WHERE cost IS NULL OR cost < ${MAX_COST_EXCLUSIVE}
ON CONFLICT (source, client_record_id) DO NOTHING
RETURNING client_record_id, occurred_at, provider_id, model_id, key_id, tag, input_tokens, cached_input_tokens,
  output_tokens, latency_ms, ttft_ms, status, cost, gateway_key_id, team_id, estimated, route_id, cached, saved_cost`;

/**
 * The budget scopes a record counts in (spend_counters; lib/gateway/admission.ts reads them). A
 * gateway key's spend counts under its rotation chain's first key (gateway_keys.lineage_id).
 */
export const SPEND_SCOPES_SQL = `
  SELECT 'overall' AS scope, occurred_at, cost FROM inserted
  UNION ALL SELECT 'provider:' || provider_id, occurred_at, cost FROM inserted
  UNION ALL SELECT 'team:' || team_id, occurred_at, cost FROM inserted WHERE team_id IS NOT NULL
  UNION ALL SELECT 'key:' || ${limitsIdSql("g")}, x.occurred_at, x.cost
    FROM inserted x JOIN gateway_keys g ON g.id = x.gateway_key_id`;

// Budget counters for the records just stored, as the transaction's last statement: the counter
// rows are the ones the gateway's admission locks, so they are held only from here to COMMIT.
// $1 source, $2 the stored client ids.
export const SPEND_SQL = `
WITH inserted AS (
  SELECT occurred_at, provider_id, team_id, gateway_key_id, cost FROM usage_records
  WHERE source = $1::"UsageSource" AND client_record_id = ANY($2::text[])
)
INSERT INTO spend_counters AS s (scope, month, cost_sum, unpriced_count)
SELECT scope, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, coalesce(sum(cost), 0), count(*) FILTER (WHERE cost IS NULL)
FROM (${SPEND_SCOPES_SQL}) x GROUP BY 1, 2 ORDER BY 1, 2
ON CONFLICT (scope, month) DO UPDATE SET
  cost_sum = s.cost_sum + EXCLUDED.cost_sum,
  unpriced_count = s.unpriced_count + EXCLUDED.unpriced_count`;

// Sums per (hour|day, provider, model, key, tag) of the rows just inserted. ORDER BY fixes the
// order in which concurrent batches lock shared rollup rows (no deadlock cycles).
const rollupSql = (table: string, granularity: Granularity) => `
INSERT INTO ${table} AS r (bucket, provider_id, model_id, key_id, tag, gateway_key_id, team_id, route_id, requests, errors,
  input_tokens, cached_input_tokens, output_tokens, cost_sum, unpriced_count, estimated_count, cached_count, saved_cost_sum,
  latency_sum_ms, ttft_count, ttft_sum_ms)
SELECT ${bucketSql("occurred_at", granularity)}, provider_id, coalesce(model_id, '${NONE_ID}'::uuid), coalesce(key_id, '${NONE_ID}'::uuid), tag,
  coalesce(gateway_key_id, '${NONE_ID}'::uuid), coalesce(team_id, '${NONE_ID}'::uuid), coalesce(route_id, '${NONE_ID}'::uuid),
  count(*), count(*) FILTER (WHERE status = 'ERROR'), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens),
  coalesce(sum(cost), 0), count(*) FILTER (WHERE cost IS NULL), count(*) FILTER (WHERE estimated),
  count(*) FILTER (WHERE cached), coalesce(sum(saved_cost), 0), sum(latency_ms), count(ttft_ms), coalesce(sum(ttft_ms), 0)
FROM inserted GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT (bucket, provider_id, model_id, key_id, tag, gateway_key_id, team_id, route_id) DO UPDATE SET
  requests = r.requests + EXCLUDED.requests,
  errors = r.errors + EXCLUDED.errors,
  input_tokens = r.input_tokens + EXCLUDED.input_tokens,
  cached_input_tokens = r.cached_input_tokens + EXCLUDED.cached_input_tokens,
  output_tokens = r.output_tokens + EXCLUDED.output_tokens,
  cost_sum = r.cost_sum + EXCLUDED.cost_sum,
  unpriced_count = r.unpriced_count + EXCLUDED.unpriced_count,
  estimated_count = r.estimated_count + EXCLUDED.estimated_count,
  cached_count = r.cached_count + EXCLUDED.cached_count,
  saved_cost_sum = r.saved_cost_sum + EXCLUDED.saved_cost_sum,
  latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
  ttft_count = r.ttft_count + EXCLUDED.ttft_count,
  ttft_sum_ms = r.ttft_sum_ms + EXCLUDED.ttft_sum_ms`;

/** $1 source, $2 ingest token id, $3…$21 the record columns as array literals (recordColumns). */
export const RECORD_SQL = `
WITH ${INPUT_SQL},
${PRICED_SQL},
inserted AS (${INSERT_SQL}),
hourly AS (${rollupSql("usage_rollup_hourly", "hour")}),
daily AS (${rollupSql("usage_rollup_daily", "day")})
SELECT coalesce(json_agg(client_record_id) FILTER (WHERE cost IS NOT NULL), '[]') AS priced,
  coalesce(json_agg(client_record_id) FILTER (WHERE cost IS NULL), '[]') AS unpriced,
  (SELECT coalesce(json_agg(client_record_id), '[]') FROM costed WHERE cost >= ${MAX_COST_EXCLUSIVE}) AS cost_out_of_range
FROM inserted`;
