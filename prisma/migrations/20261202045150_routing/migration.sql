-- CreateEnum
CREATE TYPE "RouteStrategy" AS ENUM ('FALLBACK', 'LOAD_BALANCE', 'FALLBACK_GROUPS');

-- AlterTable
ALTER TABLE "provider_keys" ADD COLUMN     "out_of_rotation_at" TIMESTAMPTZ(3),
ADD COLUMN     "out_of_rotation_reason" TEXT;

-- AlterTable
ALTER TABLE "usage_records" ADD COLUMN     "cached" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "route_id" UUID,
ADD COLUMN     "saved_cost" DECIMAL(20,10);

-- AlterTable
ALTER TABLE "usage_rollup_hourly" DROP CONSTRAINT "usage_rollup_hourly_pkey",
ADD COLUMN     "cached_count" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "route_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
ADD COLUMN     "saved_cost_sum" DECIMAL(30,10) NOT NULL DEFAULT 0,
ADD CONSTRAINT "usage_rollup_hourly_pkey" PRIMARY KEY ("bucket", "provider_id", "model_id", "key_id", "tag", "gateway_key_id", "team_id", "route_id");

-- AlterTable
ALTER TABLE "usage_rollup_daily" DROP CONSTRAINT "usage_rollup_daily_pkey",
ADD COLUMN     "cached_count" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "route_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
ADD COLUMN     "saved_cost_sum" DECIMAL(30,10) NOT NULL DEFAULT 0,
ADD CONSTRAINT "usage_rollup_daily_pkey" PRIMARY KEY ("bucket", "provider_id", "model_id", "key_id", "tag", "gateway_key_id", "team_id", "route_id");

-- CreateTable
CREATE TABLE "routes" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route_versions" (
    "id" UUID NOT NULL,
    "route_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "strategy" "RouteStrategy" NOT NULL,
    "groups" JSONB NOT NULL,
    "retries" INTEGER NOT NULL DEFAULT 1,
    "deadline_ms" INTEGER NOT NULL DEFAULT 60000,
    "cooldown_failures" INTEGER NOT NULL DEFAULT 3,
    "cooldown_seconds" INTEGER NOT NULL DEFAULT 30,
    "cache_enabled" BOOLEAN NOT NULL DEFAULT false,
    "cache_ttl_seconds" INTEGER NOT NULL DEFAULT 300,
    "author_id" UUID,
    "comment" TEXT NOT NULL DEFAULT '',
    "rolled_back_from" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "route_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "target_cooldowns" (
    "target_key" TEXT NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "open_until" TIMESTAMPTZ(3),
    "probe_until" TIMESTAMPTZ(3),
    "last_error_class" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "target_cooldowns_pkey" PRIMARY KEY ("target_key")
);

-- CreateTable
CREATE TABLE "gateway_attempts" (
    "id" BIGSERIAL NOT NULL,
    "request_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_id" UUID,
    "key_id" UUID,
    "key_last4" TEXT,
    "http_status" INTEGER,
    "error_class" TEXT,
    "latency_ms" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gateway_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "response_cache" (
    "key" TEXT NOT NULL,
    "route_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "streamed" BOOLEAN NOT NULL,
    "body" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "input_tokens" INTEGER NOT NULL,
    "cached_input_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "response_cache_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "routes_name_key" ON "routes"("name");

-- CreateIndex
CREATE UNIQUE INDEX "route_versions_route_id_version_key" ON "route_versions"("route_id", "version");

-- CreateIndex
CREATE INDEX "gateway_attempts_request_id_idx" ON "gateway_attempts"("request_id");

-- CreateIndex
CREATE INDEX "gateway_attempts_started_at_idx" ON "gateway_attempts"("started_at");

-- CreateIndex
CREATE INDEX "response_cache_expires_at_idx" ON "response_cache"("expires_at");

-- CreateIndex
CREATE INDEX "response_cache_created_at_idx" ON "response_cache"("created_at");

-- AddForeignKey
ALTER TABLE "route_versions" ADD CONSTRAINT "route_versions_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

