import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { costSql, MAX_COST_EXCLUSIVE, SPEND_SCOPES_SQL } from "@/lib/usage/record-usage-sql";
import { PRICING_LOCK } from "@/lib/usage/transaction";
import { NONE_ID } from "@/lib/usage/buckets";

// Prices unpriced records of one model now that a price exists, and moves their cost from
// "unpriced" into cost_sum in both rollups, in one statement inside one transaction. Records older
// than the earliest price stay unpriced. The exclusive pricing lock waits for in-flight ingestion
// batches (which hold it shared): a batch that read "no price" just before the price was added has
// committed by the time we look, so none is missed.

const utcBucket = (unit: "hour" | "day") => `date_trunc('${unit}', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

const rollupUpdate = (table: string, unit: "hour" | "day") => `
UPDATE ${table} r SET cost_sum = r.cost_sum + d.cost, unpriced_count = r.unpriced_count - d.n
FROM (
  SELECT ${utcBucket(unit)} AS bucket, provider_id, coalesce(model_id, '${NONE_ID}'::uuid) AS model_id,
    coalesce(key_id, '${NONE_ID}'::uuid) AS key_id, tag, coalesce(gateway_key_id, '${NONE_ID}'::uuid) AS gateway_key_id,
    coalesce(team_id, '${NONE_ID}'::uuid) AS team_id, coalesce(route_id, '${NONE_ID}'::uuid) AS route_id,
    sum(cost) AS cost, count(*) AS n
  FROM updated GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
) d
WHERE r.bucket = d.bucket AND r.provider_id = d.provider_id AND r.model_id = d.model_id AND r.key_id = d.key_id AND r.tag = d.tag
  AND r.gateway_key_id = d.gateway_key_id AND r.team_id = d.team_id AND r.route_id = d.route_id
RETURNING 1`;

// The budget counters move the same cost out of "unpriced" (lib/usage/record-usage-sql.ts).
const SPEND_UPDATE = `
UPDATE spend_counters s SET cost_sum = s.cost_sum + d.cost, unpriced_count = s.unpriced_count - d.n
FROM (
  SELECT scope, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month, sum(cost) AS cost, count(*) AS n
  FROM (${SPEND_SCOPES_SQL.replaceAll("FROM inserted", "FROM updated")}) x GROUP BY 1, 2
) d
WHERE s.scope = d.scope AND s.month = d.month
RETURNING 1`;

const REPRICE_SQL = `
WITH candidates AS (
  SELECT i.id, p.price_id, p.cost
  FROM usage_records i
  JOIN LATERAL (
    SELECT mp.id AS price_id, ${costSql("i.source")} AS cost
    FROM model_prices mp
    WHERE mp.model_id = i.model_id AND mp.effective_from <= i.occurred_at
    ORDER BY mp.effective_from DESC
    LIMIT 1
  ) p ON true
  -- A cost past DECIMAL(20,10) would fail the whole statement: such a record stays unpriced.
  WHERE i.model_id = $1::uuid AND NOT i.priced AND p.cost < ${MAX_COST_EXCLUSIVE}
),
updated AS (
  UPDATE usage_records u SET cost = c.cost, priced = true, price_id = c.price_id
  FROM candidates c WHERE u.id = c.id
  RETURNING u.occurred_at, u.provider_id, u.model_id, u.key_id, u.tag, u.gateway_key_id, u.team_id, u.route_id, u.cost
),
hourly AS (${rollupUpdate("usage_rollup_hourly", "hour")}),
daily AS (${rollupUpdate("usage_rollup_daily", "day")}),
spend AS (${SPEND_UPDATE})
SELECT (SELECT count(*) FROM updated)::int AS repriced, (SELECT coalesce(sum(cost), 0) FROM updated)::text AS cost`;

export type RepriceResult = { repriced: number; cost: string; stillUnpriced: number };

type RawClient = Pick<Prisma.TransactionClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

/** Pass the caller's transaction client to commit the repricing with the price it follows. */
export async function repriceUnpriced(modelId: string, tx?: RawClient): Promise<RepriceResult> {
  if (!tx)
    return db.$transaction((inner) => repriceUnpriced(modelId, inner), { timeout: 10 * 60_000, maxWait: 60_000 });
  await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", PRICING_LOCK);
  const [result] = await tx.$queryRawUnsafe<{ repriced: number; cost: string }[]>(REPRICE_SQL, modelId);
  const [left] = await tx.$queryRawUnsafe<{ n: number }[]>(
    "SELECT count(*)::int AS n FROM usage_records WHERE model_id = $1::uuid AND NOT priced",
    modelId,
  );
  return { repriced: result?.repriced ?? 0, cost: result?.cost ?? "0", stillUnpriced: left?.n ?? 0 };
}
