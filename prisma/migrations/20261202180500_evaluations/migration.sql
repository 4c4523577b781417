-- Evaluations (issue #18, docs/evaluations.md): datasets in immutable versions, runs over
-- dataset x targets x scorers, and the per case x target results as a durable queue.

-- AlterEnum
ALTER TYPE "UsageSource" ADD VALUE 'EVAL';

-- CreateEnum
CREATE TYPE "EvalRunStatus" AS ENUM ('DRAFT', 'RUNNING', 'CANCELLED', 'DONE');

-- CreateEnum
CREATE TYPE "EvalResultStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "EvalScorerKind" AS ENUM ('EXACT_MATCH', 'CONTAINS', 'REGEX', 'VALID_JSON', 'JSON_SCHEMA', 'NUMBER_TOLERANCE', 'LLM_JUDGE');

-- CreateTable
CREATE TABLE "eval_datasets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_by_id" UUID,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "eval_datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_dataset_versions" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "case_count" INTEGER NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "eval_dataset_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_cases" (
    "id" UUID NOT NULL,
    "dataset_version_id" UUID NOT NULL,
    "case_key" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "prompt" TEXT,
    "messages" JSONB,
    "expected_output" TEXT NOT NULL DEFAULT '',
    "metadata" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "eval_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_runs" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "dataset_version_id" UUID NOT NULL,
    "status" "EvalRunStatus" NOT NULL DEFAULT 'DRAFT',
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "max_output_tokens" INTEGER NOT NULL DEFAULT 512,
    "total_results" INTEGER NOT NULL,
    "estimated_cost" DECIMAL(20,10),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "cancel_requested_at" TIMESTAMPTZ(3),

    CONSTRAINT "eval_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_run_targets" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "provider_id" UUID,
    "model_id" UUID,
    "route_id" UUID,
    "label" TEXT NOT NULL,

    CONSTRAINT "eval_run_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_run_scorers" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "EvalScorerKind" NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "eval_run_scorers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_case_results" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "status" "EvalResultStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "output" TEXT NOT NULL DEFAULT '',
    "error_class" TEXT,
    "error_message" TEXT,
    "latency_ms" INTEGER,
    "ttft_ms" INTEGER,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost" DECIMAL(20,10),
    "priced" BOOLEAN NOT NULL DEFAULT false,
    "usage_record_id" BIGINT,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "eval_case_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_scores" (
    "id" UUID NOT NULL,
    "result_id" UUID NOT NULL,
    "scorer_id" UUID NOT NULL,
    "score" DECIMAL(12,6),
    "passed" BOOLEAN,
    "reasoning" TEXT NOT NULL DEFAULT '',
    "error" TEXT,
    "cost" DECIMAL(20,10),
    "usage_record_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "eval_scores_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "eval_datasets_name_key" ON "eval_datasets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "eval_dataset_versions_dataset_id_version_key" ON "eval_dataset_versions"("dataset_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "eval_cases_dataset_version_id_position_key" ON "eval_cases"("dataset_version_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "eval_cases_dataset_version_id_case_key_key" ON "eval_cases"("dataset_version_id", "case_key");

-- CreateIndex
CREATE INDEX "eval_runs_status_idx" ON "eval_runs"("status");

-- CreateIndex
CREATE INDEX "eval_runs_created_at_idx" ON "eval_runs"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "eval_run_targets_run_id_position_key" ON "eval_run_targets"("run_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "eval_run_scorers_run_id_position_key" ON "eval_run_scorers"("run_id", "position");

-- CreateIndex
CREATE INDEX "eval_case_results_run_id_status_idx" ON "eval_case_results"("run_id", "status");

-- CreateIndex
CREATE INDEX "eval_case_results_status_lease_until_idx" ON "eval_case_results"("status", "lease_until");

-- CreateIndex
CREATE UNIQUE INDEX "eval_case_results_target_id_case_id_key" ON "eval_case_results"("target_id", "case_id");

-- CreateIndex
CREATE INDEX "eval_scores_scorer_id_idx" ON "eval_scores"("scorer_id");

-- CreateIndex
CREATE UNIQUE INDEX "eval_scores_result_id_scorer_id_key" ON "eval_scores"("result_id", "scorer_id");

-- AddForeignKey
ALTER TABLE "eval_dataset_versions" ADD CONSTRAINT "eval_dataset_versions_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "eval_datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_cases" ADD CONSTRAINT "eval_cases_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "eval_dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "eval_dataset_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_run_targets" ADD CONSTRAINT "eval_run_targets_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_run_scorers" ADD CONSTRAINT "eval_run_scorers_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_case_results" ADD CONSTRAINT "eval_case_results_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_case_results" ADD CONSTRAINT "eval_case_results_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "eval_run_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_case_results" ADD CONSTRAINT "eval_case_results_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "eval_cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_scores" ADD CONSTRAINT "eval_scores_result_id_fkey" FOREIGN KEY ("result_id") REFERENCES "eval_case_results"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_scores" ADD CONSTRAINT "eval_scores_scorer_id_fkey" FOREIGN KEY ("scorer_id") REFERENCES "eval_run_scorers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Constraints Prisma cannot express
ALTER TABLE "eval_cases" ADD CONSTRAINT "eval_cases_prompt_xor_messages" CHECK (("prompt" IS NULL) <> ("messages" IS NULL));
ALTER TABLE "eval_run_targets" ADD CONSTRAINT "eval_run_targets_model_or_route" CHECK ((("provider_id" IS NOT NULL AND "model_id" IS NOT NULL) AND "route_id" IS NULL) OR ("provider_id" IS NULL AND "model_id" IS NULL AND "route_id" IS NOT NULL));
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_concurrency_range" CHECK ("concurrency" BETWEEN 1 AND 16);
