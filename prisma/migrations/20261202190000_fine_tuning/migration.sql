-- Fine-tuning (issue #17). ADD VALUE is not used by anything else in this migration.
ALTER TYPE "UsageSource" ADD VALUE 'FINE_TUNE';

CREATE TYPE "FineTuneStatus" AS ENUM ('VALIDATING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

CREATE TYPE "FineTuneFilePurpose" AS ENUM ('TRAINING', 'VALIDATION');

ALTER TABLE "model_prices" ADD COLUMN "training_per_mtok" DECIMAL(18,6),
ADD COLUMN "fine_tuned_input_per_mtok" DECIMAL(18,6),
ADD COLUMN "fine_tuned_output_per_mtok" DECIMAL(18,6);

CREATE TABLE "fine_tune_files" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "purpose" "FineTuneFilePurpose" NOT NULL,
    "file_name" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "line_count" INTEGER NOT NULL,
    "token_count" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "provider_file_id" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "fine_tune_files_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "fine_tune_jobs" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "base_model_id" UUID NOT NULL,
    "base_model_name" TEXT NOT NULL,
    "suffix" TEXT NOT NULL DEFAULT '',
    "epochs" INTEGER,
    "learning_rate_multiplier" DECIMAL(10,4),
    "batch_size" INTEGER,
    "training_file_id" UUID NOT NULL,
    "validation_file_id" UUID,
    "provider_job_id" TEXT,
    "status" "FineTuneStatus" NOT NULL DEFAULT 'VALIDATING',
    "error" TEXT,
    "estimated_cost" DECIMAL(20,10),
    "trained_tokens" INTEGER,
    "fine_tuned_model" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "last_polled_at" TIMESTAMPTZ(3),
    "events_cursor" TEXT,
    CONSTRAINT "fine_tune_jobs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "fine_tune_events" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "provider_event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "step" INTEGER,
    "train_loss" DOUBLE PRECISION,
    "valid_loss" DOUBLE PRECISION,
    CONSTRAINT "fine_tune_events_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "models" ADD COLUMN "fine_tune_job_id" UUID;

CREATE INDEX "fine_tune_files_provider_id_created_at_idx" ON "fine_tune_files"("provider_id", "created_at" DESC);

CREATE UNIQUE INDEX "fine_tune_jobs_provider_id_provider_job_id_key" ON "fine_tune_jobs"("provider_id", "provider_job_id");

CREATE INDEX "fine_tune_jobs_status_idx" ON "fine_tune_jobs"("status");

CREATE INDEX "fine_tune_jobs_created_at_idx" ON "fine_tune_jobs"("created_at" DESC);

CREATE UNIQUE INDEX "fine_tune_events_job_id_provider_event_id_key" ON "fine_tune_events"("job_id", "provider_event_id");

CREATE INDEX "fine_tune_events_job_id_created_at_idx" ON "fine_tune_events"("job_id", "created_at");

CREATE UNIQUE INDEX "models_fine_tune_job_id_key" ON "models"("fine_tune_job_id");

ALTER TABLE "fine_tune_jobs" ADD CONSTRAINT "fine_tune_jobs_training_file_id_fkey" FOREIGN KEY ("training_file_id") REFERENCES "fine_tune_files"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "fine_tune_jobs" ADD CONSTRAINT "fine_tune_jobs_validation_file_id_fkey" FOREIGN KEY ("validation_file_id") REFERENCES "fine_tune_files"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "fine_tune_events" ADD CONSTRAINT "fine_tune_events_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "fine_tune_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "models" ADD CONSTRAINT "models_fine_tune_job_id_fkey" FOREIGN KEY ("fine_tune_job_id") REFERENCES "fine_tune_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
