-- CreateEnum
CREATE TYPE "TestRunTrigger" AS ENUM ('MANUAL', 'SCHEDULED');

-- CreateEnum
CREATE TYPE "TestRunStatus" AS ENUM ('RUNNING', 'DONE');

-- CreateEnum
CREATE TYPE "TestResultStatus" AS ENUM ('PENDING', 'RUNNING', 'OK', 'ERROR');

-- CreateTable
CREATE TABLE "test_runs" (
    "id" UUID NOT NULL,
    "trigger" "TestRunTrigger" NOT NULL,
    "status" "TestRunStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "started_by_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "test_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_run_results" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "provider_name" TEXT NOT NULL,
    "model_id" UUID,
    "model_name" TEXT,
    "key_id" UUID,
    "status" "TestResultStatus" NOT NULL DEFAULT 'PENDING',
    "latency_ms" INTEGER,
    "ttft_ms" INTEGER,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "cost" DECIMAL(20,10),
    "priced" BOOLEAN NOT NULL DEFAULT false,
    "error_class" TEXT,
    "message" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "test_run_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_health" (
    "provider_id" UUID NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_checked_at" TIMESTAMPTZ(3),
    "last_ok" BOOLEAN,
    "last_error_class" TEXT,
    "last_message" TEXT,

    CONSTRAINT "provider_health_pkey" PRIMARY KEY ("provider_id")
);

-- CreateTable
CREATE TABLE "test_call_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "health_check_interval_minutes" INTEGER,
    "failure_threshold" INTEGER NOT NULL DEFAULT 3,
    "store_playground_transcripts" BOOLEAN NOT NULL DEFAULT false,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "test_call_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "playground_transcripts" (
    "id" UUID NOT NULL,
    "actor_id" UUID,
    "provider_id" UUID NOT NULL,
    "model_id" UUID,
    "model_name" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "error_class" TEXT,
    "latency_ms" INTEGER NOT NULL,
    "ttft_ms" INTEGER,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost" DECIMAL(20,10),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "playground_transcripts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "test_runs_started_at_idx" ON "test_runs"("started_at" DESC);

-- CreateIndex
CREATE INDEX "test_runs_trigger_started_at_idx" ON "test_runs"("trigger", "started_at" DESC);

-- CreateIndex
CREATE INDEX "test_run_results_provider_id_idx" ON "test_run_results"("provider_id");

-- CreateIndex
CREATE UNIQUE INDEX "test_run_results_run_id_provider_id_key" ON "test_run_results"("run_id", "provider_id");

-- CreateIndex
CREATE INDEX "playground_transcripts_created_at_idx" ON "playground_transcripts"("created_at" DESC);

-- AddForeignKey
ALTER TABLE "test_run_results" ADD CONSTRAINT "test_run_results_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "test_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_health" ADD CONSTRAINT "provider_health_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

