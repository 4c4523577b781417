-- CreateEnum
CREATE TYPE "GatewayKeyStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- AlterEnum
ALTER TYPE "UsageStatus" ADD VALUE 'CANCELLED';

-- AlterTable: every existing provider gets a slug from its name (lower case, runs of other
-- characters as one dash, at most 40 characters), and a clash gets -2, -3… in creation order.
ALTER TABLE "providers" ADD COLUMN     "slug" TEXT;
WITH base AS (
  SELECT id, created_at,
    coalesce(nullif(left(trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 40), ''), 'provider') AS slug
  FROM "providers"
), numbered AS (
  SELECT id, slug, row_number() OVER (PARTITION BY slug ORDER BY created_at, id) AS n FROM base
)
UPDATE "providers" p SET slug = CASE WHEN n.n = 1 THEN n.slug ELSE n.slug || '-' || n.n END
FROM numbered n WHERE n.id = p.id;
ALTER TABLE "providers" ALTER COLUMN "slug" SET NOT NULL, ALTER COLUMN "slug" SET DEFAULT '';

-- A provider inserted without a slug gets one from its name, the same way, -2, -3… on a clash.
CREATE FUNCTION provider_default_slug() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  base text\073
  candidate text\073
  n int := 1\073
BEGIN
  IF NEW.slug IS NULL OR NEW.slug = \'\' THEN
    base := coalesce(nullif(left(trim(both \'-\' from regexp_replace(lower(NEW.name), \'[^a-z0-9]+\', \'-\', \'g\')), 40), \'\'), \'provider\')\073
    candidate := base\073
    WHILE EXISTS (SELECT 1 FROM providers WHERE slug = candidate) LOOP
      n := n + 1\073
      candidate := base || \'-\' || n\073
    END LOOP\073
    NEW.slug := candidate\073
  END IF\073
  RETURN NEW\073
END
';
CREATE TRIGGER providers_default_slug BEFORE INSERT ON "providers" FOR EACH ROW EXECUTE FUNCTION provider_default_slug();

-- AlterTable
ALTER TABLE "models" ADD COLUMN     "max_output_tokens" INTEGER;

-- AlterTable
ALTER TABLE "usage_records" ADD COLUMN     "estimated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "gateway_key_id" UUID,
ADD COLUMN     "team_id" UUID;

-- AlterTable
ALTER TABLE "usage_rollup_hourly" DROP CONSTRAINT "usage_rollup_hourly_pkey",
ADD COLUMN     "estimated_count" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "gateway_key_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
ADD COLUMN     "team_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
ADD CONSTRAINT "usage_rollup_hourly_pkey" PRIMARY KEY ("bucket", "provider_id", "model_id", "key_id", "tag", "gateway_key_id", "team_id");

-- AlterTable
ALTER TABLE "usage_rollup_daily" DROP CONSTRAINT "usage_rollup_daily_pkey",
ADD COLUMN     "estimated_count" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "gateway_key_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
ADD COLUMN     "team_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
ADD CONSTRAINT "usage_rollup_daily_pkey" PRIMARY KEY ("bucket", "provider_id", "model_id", "key_id", "tag", "gateway_key_id", "team_id");

-- AlterTable
ALTER TABLE "budgets" ADD COLUMN     "hard" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "teams" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "monthly_budget_usd" DECIMAL(14,2),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gateway_keys" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "allowed_models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "monthly_budget_usd" DECIMAL(14,2),
    "rpm_limit" INTEGER,
    "tpm_limit" INTEGER,
    "max_parallel" INTEGER,
    "allowed_ips" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "status" "GatewayKeyStatus" NOT NULL DEFAULT 'ACTIVE',
    "revoked_at" TIMESTAMPTZ(3),
    "retires_at" TIMESTAMPTZ(3),
    "replaced_by_id" UUID,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "gateway_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spend_counters" (
    "scope" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "cost_sum" DECIMAL(30,10) NOT NULL DEFAULT 0,
    "unpriced_count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "spend_counters_pkey" PRIMARY KEY ("scope","month")
);

-- CreateTable
CREATE TABLE "gateway_leases" (
    "id" UUID NOT NULL,
    "gateway_key_id" UUID NOT NULL,
    "scopes" TEXT[],
    "month" DATE NOT NULL,
    "amount" DECIMAL(20,10) NOT NULL,
    "inflight" BOOLEAN NOT NULL DEFAULT true,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gateway_leases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gateway_key_windows" (
    "gateway_key_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "prev_requests" INTEGER NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "prev_tokens" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "gateway_key_windows_pkey" PRIMARY KEY ("gateway_key_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "teams_name_key" ON "teams"("name");

-- CreateIndex
CREATE UNIQUE INDEX "gateway_keys_key_hash_key" ON "gateway_keys"("key_hash");

-- CreateIndex
CREATE INDEX "gateway_keys_team_id_idx" ON "gateway_keys"("team_id");

-- CreateIndex
CREATE INDEX "gateway_keys_updated_at_idx" ON "gateway_keys"("updated_at");

-- CreateIndex
CREATE INDEX "gateway_leases_gateway_key_id_idx" ON "gateway_leases"("gateway_key_id");

-- CreateIndex
CREATE INDEX "gateway_leases_scopes_idx" ON "gateway_leases" USING GIN ("scopes");

-- CreateIndex
CREATE UNIQUE INDEX "providers_slug_key" ON "providers"("slug");

-- CreateIndex
CREATE INDEX "usage_records_gateway_key_id_occurred_at_id_idx" ON "usage_records"("gateway_key_id", "occurred_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "gateway_keys" ADD CONSTRAINT "gateway_keys_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Budget spend so far, from the daily rollups (which hold every record's cost, retention or not).
INSERT INTO "spend_counters" (scope, month, cost_sum, unpriced_count)
SELECT 'overall', date_trunc('month', bucket AT TIME ZONE 'UTC')::date, sum(cost_sum), sum(unpriced_count)
FROM "usage_rollup_daily" GROUP BY 2
UNION ALL
SELECT 'provider:' || provider_id, date_trunc('month', bucket AT TIME ZONE 'UTC')::date, sum(cost_sum), sum(unpriced_count)
FROM "usage_rollup_daily" GROUP BY 1, 2;

-- The Prisma engine splits migrations on every semicolon, even inside dollar quotes, so function
-- bodies are E'' strings with \073 for each semicolon.

-- A gateway request's admission in one round trip (lib/gateway/admission.ts): the key's
-- requests-per-minute and tokens-per-minute (a sliding window over this minute and the last), its
-- parallel requests (live leases), and every budget scope (spend so far plus what running
-- requests reserved). Rows are locked key first, then scopes in the order given (sorted by the
-- caller), the order the usage writer also takes them in, so two callers never deadlock. Each
-- statement here sees what concurrent admissions committed while this one waited on a lock.
CREATE FUNCTION gateway_admit(
  p_lease uuid, p_key uuid, p_month date, p_scopes text[], p_limits numeric[], p_amount numeric,
  p_rpm int, p_tpm int, p_tokens int, p_parallel int, p_ttl_ms int, p_key_limits boolean
) RETURNS TABLE (reason text, retry_after_ms int) LANGUAGE plpgsql AS E'
DECLARE
  w gateway_key_windows%ROWTYPE\073
  now_ts timestamptz := clock_timestamp()\073
  minute_start timestamptz := date_trunc(\'minute\', clock_timestamp())\073
  elapsed double precision\073
  running int\073
  spent numeric\073
  reserved numeric\073
  i int\073
BEGIN
  IF p_key_limits THEN
    INSERT INTO gateway_key_windows (gateway_key_id, window_start) VALUES (p_key, minute_start) ON CONFLICT DO NOTHING\073
    SELECT * INTO w FROM gateway_key_windows WHERE gateway_key_id = p_key FOR UPDATE\073
    IF w.window_start < minute_start THEN
      IF w.window_start = minute_start - interval \'1 minute\' THEN
        w.prev_requests := w.requests\073 w.prev_tokens := w.tokens\073
      ELSE
        w.prev_requests := 0\073 w.prev_tokens := 0\073
      END IF\073
      w.requests := 0\073 w.tokens := 0\073 w.window_start := minute_start\073
    END IF\073
    elapsed := extract(epoch FROM now_ts - minute_start) / 60.0\073
    IF p_rpm IS NOT NULL AND w.prev_requests * (1 - elapsed) + w.requests + 1 > p_rpm THEN
      RETURN QUERY SELECT \'rpm\'::text, gateway_retry_ms(w.prev_requests, w.prev_requests * (1 - elapsed) + w.requests + 1 - p_rpm, elapsed)\073
      RETURN\073
    END IF\073
    IF p_tpm IS NOT NULL AND w.prev_tokens * (1 - elapsed) + w.tokens >= p_tpm THEN
      RETURN QUERY SELECT \'tpm\'::text, gateway_retry_ms(w.prev_tokens, w.prev_tokens * (1 - elapsed) + w.tokens - p_tpm + 1, elapsed)\073
      RETURN\073
    END IF\073
    IF p_parallel IS NOT NULL THEN
      SELECT count(*) INTO running FROM gateway_leases
       WHERE gateway_key_id = p_key AND inflight AND expires_at > now_ts\073
      IF running >= p_parallel THEN
        RETURN QUERY SELECT \'parallel\'::text, 1000\073
        RETURN\073
      END IF\073
    END IF\073
  END IF\073
  FOR i IN 1 .. coalesce(array_length(p_scopes, 1), 0) LOOP
    INSERT INTO spend_counters (scope, month) VALUES (p_scopes[i], p_month) ON CONFLICT DO NOTHING\073
    SELECT cost_sum INTO spent FROM spend_counters WHERE scope = p_scopes[i] AND month = p_month FOR UPDATE\073
    IF p_limits[i] IS NOT NULL THEN
      SELECT coalesce(sum(amount), 0) INTO reserved FROM gateway_leases
       WHERE scopes @> ARRAY[p_scopes[i]] AND month = p_month AND expires_at > now_ts\073
      IF spent + reserved >= p_limits[i] THEN
        RETURN QUERY SELECT (\'budget:\' || p_scopes[i])::text,
          (extract(epoch FROM (date_trunc(\'month\', now_ts AT TIME ZONE \'UTC\') + interval \'1 month\') AT TIME ZONE \'UTC\' - now_ts) * 1000)::int\073
        RETURN\073
      END IF\073
    END IF\073
  END LOOP\073
  INSERT INTO gateway_leases (id, gateway_key_id, scopes, month, amount, expires_at)
  VALUES (p_lease, p_key, p_scopes, p_month, p_amount, now_ts + make_interval(secs => p_ttl_ms / 1000.0))\073
  IF p_key_limits THEN
    UPDATE gateway_key_windows SET window_start = w.window_start, requests = w.requests + 1, prev_requests = w.prev_requests,
      tokens = w.tokens + p_tokens, prev_tokens = w.prev_tokens
     WHERE gateway_key_id = p_key\073
  END IF\073
  RETURN QUERY SELECT NULL::text, 0\073
END
';

-- How long until the sliding window has room again: the previous minute's weight falls by prev
-- per minute. When it cannot fall by `excess` this minute, room comes once this minute's count
-- becomes the previous one's and starts falling. At least one second, at most two minutes.
CREATE FUNCTION gateway_retry_ms(prev bigint, excess double precision, elapsed double precision) RETURNS int
LANGUAGE sql IMMUTABLE AS E'
  SELECT least(120000, greatest(1000, ceil(CASE
    WHEN prev > 0 AND excess <= prev * (1 - elapsed) THEN excess / prev * 60000
    ELSE (1 - elapsed) * 60000 + 1000 END)::int))
';
