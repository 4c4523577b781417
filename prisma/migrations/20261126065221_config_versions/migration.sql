-- CreateEnum
CREATE TYPE "ConfigScope" AS ENUM ('PROVIDER', 'MODEL');

-- CreateTable
CREATE TABLE "config_versions" (
    "id" UUID NOT NULL,
    "scope" "ConfigScope" NOT NULL,
    "provider_id" UUID NOT NULL,
    "model_id" UUID,
    "version" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "monthly_budget_usd" DECIMAL(14,2),
    "author_id" UUID,
    "comment" TEXT NOT NULL DEFAULT '',
    "rolled_back_from" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "config_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "config_versions_model_id_idx" ON "config_versions"("model_id");

-- CreateIndex
CREATE UNIQUE INDEX "config_versions_provider_id_model_id_version_key" ON "config_versions"("provider_id", "model_id", "version");

-- AddForeignKey
ALTER TABLE "config_versions" ADD CONSTRAINT "config_versions_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "config_versions" ADD CONSTRAINT "config_versions_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "config_versions" ADD CONSTRAINT "config_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Prisma cannot express these. NULLs never collide in a unique index, so provider-scope versions
-- (model_id IS NULL) get their own partial unique index, and the scope must agree with model_id.
CREATE UNIQUE INDEX "config_versions_provider_scope_version_key" ON "config_versions"("provider_id", "version") WHERE "model_id" IS NULL;

ALTER TABLE "config_versions" ADD CONSTRAINT "config_versions_scope_matches_model" CHECK (("scope" = 'MODEL') = ("model_id" IS NOT NULL));

ALTER TABLE "config_versions" ADD CONSTRAINT "config_versions_version_positive" CHECK ("version" >= 1);
