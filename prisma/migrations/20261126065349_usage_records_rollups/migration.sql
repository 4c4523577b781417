-- CreateEnum
CREATE TYPE "UsageSource" AS ENUM ('TEST', 'INGEST', 'GATEWAY');

-- CreateEnum
CREATE TYPE "UsageStatus" AS ENUM ('OK', 'ERROR');

-- CreateTable
CREATE TABLE "usage_records" (
    "id" BIGSERIAL NOT NULL,
    "source" "UsageSource" NOT NULL,
    "client_record_id" TEXT,
    "ingest_token_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider_id" UUID NOT NULL,
    "model_id" UUID,
    "key_id" UUID,
    "tag" TEXT NOT NULL DEFAULT '',
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "cached_input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "latency_ms" INTEGER NOT NULL,
    "ttft_ms" INTEGER,
    "status" "UsageStatus" NOT NULL,
    "error_class" TEXT,
    "http_status" INTEGER,
    "cost" DECIMAL(20,10),
    "priced" BOOLEAN NOT NULL DEFAULT false,
    "price_id" UUID,

    CONSTRAINT "usage_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_rollup_hourly" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "key_id" UUID NOT NULL,
    "tag" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "errors_by_class" JSONB NOT NULL DEFAULT '{}',
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_sum" DECIMAL(30,10) NOT NULL DEFAULT 0,
    "unpriced_count" BIGINT NOT NULL DEFAULT 0,
    "latency_sum_ms" BIGINT NOT NULL DEFAULT 0,
    "latency_hist" BIGINT[],
    "ttft_count" BIGINT NOT NULL DEFAULT 0,
    "ttft_sum_ms" BIGINT NOT NULL DEFAULT 0,
    "ttft_hist" BIGINT[],

    CONSTRAINT "usage_rollup_hourly_pkey" PRIMARY KEY ("bucket","provider_id","model_id","key_id","tag")
);

-- CreateTable
CREATE TABLE "usage_rollup_daily" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "key_id" UUID NOT NULL,
    "tag" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "errors_by_class" JSONB NOT NULL DEFAULT '{}',
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_sum" DECIMAL(30,10) NOT NULL DEFAULT 0,
    "unpriced_count" BIGINT NOT NULL DEFAULT 0,
    "latency_sum_ms" BIGINT NOT NULL DEFAULT 0,
    "latency_hist" BIGINT[],
    "ttft_count" BIGINT NOT NULL DEFAULT 0,
    "ttft_sum_ms" BIGINT NOT NULL DEFAULT 0,
    "ttft_hist" BIGINT[],

    CONSTRAINT "usage_rollup_daily_pkey" PRIMARY KEY ("bucket","provider_id","model_id","key_id","tag")
);

-- CreateTable
CREATE TABLE "ingest_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budgets" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "provider_id" UUID,
    "monthly_amount" DECIMAL(18,2) NOT NULL,
    "alerted_month" TEXT,
    "alerted_level" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "usage_records_occurred_at_id_idx" ON "usage_records"("occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "usage_records_provider_id_occurred_at_id_idx" ON "usage_records"("provider_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "usage_records_model_id_occurred_at_id_idx" ON "usage_records"("model_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "usage_records_source_client_record_id_key" ON "usage_records"("source", "client_record_id");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_tokens_token_hash_key" ON "ingest_tokens"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "budgets_scope_key" ON "budgets"("scope");


-- Written by hand (Prisma cannot express these). Reprice looks for unpriced rows of one model:
-- a partial index stays tiny because priced rows are the norm.
CREATE INDEX "usage_records_unpriced_model_idx" ON "usage_records" ("model_id") WHERE NOT "priced";

-- Element-wise addition of two histogram bucket arrays of the same length, skipping the zero
-- buckets of the addend (most are zero in one batch). See lib/usage/histogram.ts for the scheme.
-- The body is an E'' string with octal escapes for semicolons because Prisma's migration runner splits scripts
-- on every semicolon, even inside dollar quotes.
CREATE FUNCTION usage_hist_add(a int8[], b int8[]) RETURNS int8[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS E'
DECLARE
  result int8[] := a\073
BEGIN
  IF a IS NULL THEN RETURN b\073 END IF\073
  FOR i IN 1 .. coalesce(array_length(b, 1), 0) LOOP
    IF b[i] <> 0 THEN
      result[i] := coalesce(result[i], 0) + b[i]\073
    END IF\073
  END LOOP\073
  RETURN result\073
END';

-- Adds two {"class": count} objects key by key (errors by class in the rollups).
CREATE FUNCTION usage_counts_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
  FROM (
    SELECT k, sum(v::int8) AS n
    FROM (SELECT * FROM jsonb_each_text(coalesce(a, '{}'::jsonb)) UNION ALL SELECT * FROM jsonb_each_text(coalesce(b, '{}'::jsonb))) AS e(k, v)
    GROUP BY k
  ) AS s
$$;
