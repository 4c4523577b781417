import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { kindSupportsFineTuning } from "@/lib/fine-tuning/openai-client";
import { FINE_TUNE_RECORD_PREFIX } from "@/lib/fine-tuning/jobs";
import { PROVIDER_KIND_SPECS } from "@/lib/providers/catalog";

// What the fine-tuning pages read. Costs travel as exact decimal strings (null = unpriced).

export type FineTuneProviderOption = { id: string; name: string; kindLabel: string; supported: boolean };
export type BaseModelOption = { id: string; providerId: string; modelId: string; trainingPerMTok: string | null };
export type FileOption = {
  id: string;
  providerId: string;
  purpose: "TRAINING" | "VALIDATION";
  fileName: string;
  bytes: number;
  lineCount: number;
  tokenCount: number;
  sha256: string;
  providerFileId: string;
  createdAt: Date;
};

const kindLabel = (kind: string) => (PROVIDER_KIND_SPECS as Record<string, { label: string }>)[kind]?.label ?? kind;

export async function fineTuningProviders(): Promise<FineTuneProviderOption[]> {
  const providers = await db.provider.findMany({
    where: { archivedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, enabled: true },
  });
  return providers.map((p) => ({
    id: p.id,
    name: p.name,
    kindLabel: kindLabel(p.kind),
    supported: kindSupportsFineTuning(p.kind) && p.enabled,
  }));
}

/** Models that can be fine-tuned, with the training price in force (null = unpriced). */
export async function baseModelOptions(providerIds: string[]): Promise<BaseModelOption[]> {
  if (providerIds.length === 0) return [];
  const rows = await db.$queryRaw<
    { id: string; provider_id: string; model_id: string; training: string | null }[]
  >(Prisma.sql`
    SELECT m.id::text, m.provider_id::text, m.model_id,
           (SELECT mp.training_per_mtok::text FROM model_prices mp
             WHERE mp.model_id = m.id AND mp.effective_from <= now() ORDER BY mp.effective_from DESC LIMIT 1) AS training
      FROM models m
     WHERE m.provider_id = ANY(${providerIds}::uuid[]) AND m.type <> 'EMBEDDING' AND m.enabled
     ORDER BY m.model_id`);
  return rows.map((row) => ({
    id: row.id,
    providerId: row.provider_id,
    modelId: row.model_id,
    trainingPerMTok: row.training,
  }));
}

export async function recentFiles(limit = 100): Promise<FileOption[]> {
  return db.fineTuneFile.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      providerId: true,
      purpose: true,
      fileName: true,
      bytes: true,
      lineCount: true,
      tokenCount: true,
      sha256: true,
      providerFileId: true,
      createdAt: true,
    },
  });
}

export type JobListRow = {
  id: string;
  providerName: string;
  baseModelName: string;
  suffix: string;
  status: "VALIDATING" | "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  fineTunedModel: string | null;
  estimatedCost: string | null;
  trainedTokens: number | null;
  /** The recorded training cost: undefined while none is recorded, null when recorded unpriced. */
  cost: string | null | undefined;
  createdAt: Date;
  finishedAt: Date | null;
};

type RawJob = {
  id: string;
  provider_name: string | null;
  base_model_name: string;
  suffix: string;
  status: JobListRow["status"];
  fine_tuned_model: string | null;
  estimated_cost: string | null;
  trained_tokens: number | null;
  recorded: boolean;
  cost: string | null;
  created_at: Date;
  finished_at: Date | null;
};

const JOB_SELECT = Prisma.sql`
  SELECT j.id::text, p.name AS provider_name, j.base_model_name, j.suffix, j.status::text AS status, j.fine_tuned_model,
         j.estimated_cost::text AS estimated_cost, j.trained_tokens, (u.id IS NOT NULL) AS recorded, u.cost::text AS cost,
         j.created_at, j.finished_at
    FROM fine_tune_jobs j
    LEFT JOIN providers p ON p.id = j.provider_id
    LEFT JOIN usage_records u ON u.source = 'FINE_TUNE' AND u.client_record_id = ${FINE_TUNE_RECORD_PREFIX} || j.id::text`;

function toRow(row: RawJob): JobListRow {
  return {
    id: row.id,
    providerName: row.provider_name ?? "(deleted provider)",
    baseModelName: row.base_model_name,
    suffix: row.suffix,
    status: row.status,
    fineTunedModel: row.fine_tuned_model,
    estimatedCost: row.estimated_cost,
    trainedTokens: row.trained_tokens,
    cost: row.recorded ? row.cost : undefined,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export async function listJobs(limit = 200): Promise<JobListRow[]> {
  const rows = await db.$queryRaw<RawJob[]>(Prisma.sql`${JOB_SELECT} ORDER BY j.created_at DESC LIMIT ${limit}`);
  return rows.map(toRow);
}

export async function getJob(id: string) {
  const [row] = await db.$queryRaw<RawJob[]>(Prisma.sql`${JOB_SELECT} WHERE j.id = ${id}::uuid`);
  if (!row) return null;
  const job = await db.fineTuneJob.findUnique({
    where: { id },
    include: {
      trainingFile: true,
      validationFile: true,
      resultModel: { select: { id: true, providerId: true, modelId: true, prices: { select: { id: true }, take: 1 } } },
      events: { orderBy: [{ createdAt: "asc" }, { step: "asc" }], take: 2000 },
    },
  });
  if (!job) return null;
  const provider = await db.provider.findUnique({ where: { id: job.providerId }, select: { slug: true } });
  return {
    ...toRow(row),
    providerId: job.providerId,
    providerSlug: provider?.slug ?? null,
    providerJobId: job.providerJobId,
    epochs: job.epochs,
    learningRateMultiplier: job.learningRateMultiplier?.toString() ?? null,
    batchSize: job.batchSize,
    error: job.error,
    lastPolledAt: job.lastPolledAt,
    trainingFile: job.trainingFile,
    validationFile: job.validationFile,
    resultModel: job.resultModel
      ? { id: job.resultModel.id, modelId: job.resultModel.modelId, priced: job.resultModel.prices.length > 0 }
      : null,
    events: job.events.map((event) => ({
      id: event.id,
      createdAt: event.createdAt,
      level: event.level,
      message: event.message,
      step: event.step,
      trainLoss: event.trainLoss,
      validLoss: event.validLoss,
    })),
  };
}
