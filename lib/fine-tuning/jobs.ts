import "server-only";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log/logger";
import { AUTO_EPOCHS_ESTIMATE, trainingCost } from "@/lib/fine-tuning/cost";
import {
  cancelProviderJob,
  createProviderJob,
  fineTuningProvider,
  getProviderJob,
  newProviderEvents,
  type FineTuningProvider,
  type OpenAiEvent,
  type OpenAiJob,
} from "@/lib/fine-tuning/openai-client";
import { FINISHED_STATUSES, statusFromProvider, type FineTuneStatusName } from "@/lib/fine-tuning/provider-status";
import { recordUsage } from "@/lib/usage/record-usage";

// Fine-tuning jobs (docs/fine-tuning.md): created and cancelled by admins, followed by the poller
// (pollFineTuneJobs, a maintenance job under runExclusive: one instance at a time). The job row is
// the poller's state (status, events cursor, last poll), so a restart resumes where it stopped.
// When a job succeeds, in the same transaction as its status: the fine-tuned model is registered
// under the provider (type FINE_TUNED, base model named, linked to the job) and priced from the
// base model's fine-tuned prices when they are known, otherwise left unpriced (never $0). Its
// training cost then goes into the usage ledger (source FINE_TUNE, one record per job, idempotent):
// trained tokens × the base model's training price in force, so spend pages and budgets count it.

export type CreateJobInput = {
  providerId: string;
  baseModelId: string;
  trainingFileId: string;
  validationFileId?: string;
  suffix: string;
  epochs?: number;
  learningRateMultiplier?: string;
  batchSize?: number;
};

/** The base model's price in force (its training and fine-tuned prices may be null). */
async function priceInForceNow(modelId: string, at = new Date()) {
  return db.modelPrice.findFirst({
    where: { modelId, effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: "desc" },
    select: {
      id: true,
      trainingPerMTok: true,
      fineTunedInputPerMTok: true,
      fineTunedOutputPerMTok: true,
      currency: true,
    },
  });
}

export async function estimateJobCost(
  baseModelId: string,
  tokens: number,
  epochs: number | null,
): Promise<string | null> {
  const price = await priceInForceNow(baseModelId);
  const perMTok = price?.trainingPerMTok ? price.trainingPerMTok.toFixed(6) : null;
  return trainingCost(tokens, epochs ?? AUTO_EPOCHS_ESTIMATE, perMTok);
}

export async function createJob(input: CreateJobInput, actor: Actor): Promise<{ id: string }> {
  const provider = await fineTuningProvider(input.providerId);
  const base = await db.model.findFirst({
    where: { id: input.baseModelId, providerId: provider.id },
    select: { id: true, modelId: true, type: true },
  });
  if (!base)
    throw new DomainError("INVALID", "Check the highlighted fields.", {
      baseModelId: ["Choose one of this provider's models."],
    });
  if (base.type === "EMBEDDING")
    throw new DomainError("INVALID", "Check the highlighted fields.", {
      baseModelId: ["Embedding models cannot be fine-tuned here."],
    });
  const fileOf = async (id: string | undefined, purpose: "TRAINING" | "VALIDATION", field: string) => {
    if (!id) return null;
    const file = await db.fineTuneFile.findUnique({ where: { id } });
    if (!file || file.providerId !== provider.id || file.purpose !== purpose)
      throw new DomainError("INVALID", "Check the highlighted fields.", {
        [field]: [`Choose a ${purpose.toLowerCase()} file uploaded to this provider.`],
      });
    return file;
  };
  const training = (await fileOf(input.trainingFileId, "TRAINING", "trainingFileId"))!;
  const validation = await fileOf(input.validationFileId, "VALIDATION", "validationFileId");
  const estimatedCost = await estimateJobCost(base.id, training.tokenCount, input.epochs ?? null);

  const remote = await createProviderJob(provider, {
    model: base.modelId,
    trainingFile: training.providerFileId,
    validationFile: validation?.providerFileId ?? null,
    suffix: input.suffix,
    epochs: input.epochs ?? null,
    learningRateMultiplier: input.learningRateMultiplier ?? null,
    batchSize: input.batchSize ?? null,
  });
  if (typeof remote?.id !== "string") throw new DomainError("UNAVAILABLE", "The provider's answer named no job.");
  return db.$transaction(async (tx) => {
    const job = await tx.fineTuneJob.create({
      data: {
        providerId: provider.id,
        baseModelId: base.id,
        baseModelName: base.modelId,
        suffix: input.suffix,
        epochs: input.epochs ?? null,
        learningRateMultiplier: input.learningRateMultiplier ?? null,
        batchSize: input.batchSize ?? null,
        trainingFileId: training.id,
        validationFileId: validation?.id ?? null,
        providerJobId: remote.id,
        status: statusFromProvider(remote.status) ?? "VALIDATING",
        estimatedCost,
        createdById: actor.id,
      },
      select: { id: true },
    });
    await writeAudit(
      {
        actor,
        action: "fine_tune.job_created",
        targetType: "fine_tune_job",
        targetId: job.id,
        details: {
          providerId: provider.id,
          baseModel: base.modelId,
          suffix: input.suffix,
          epochs: input.epochs ?? "auto",
          learningRateMultiplier: input.learningRateMultiplier ?? "auto",
          batchSize: input.batchSize ?? "auto",
          trainingFileId: training.id,
          validationFileId: validation?.id ?? null,
          providerJobId: remote.id,
          estimatedCost,
        },
      },
      tx,
    );
    return job;
  });
}

export async function cancelJob(jobId: string, actor: Actor): Promise<void> {
  const job = await db.fineTuneJob.findUnique({ where: { id: jobId } });
  if (!job) throw notFound("Fine-tuning job");
  if ((FINISHED_STATUSES as readonly string[]).includes(job.status) || !job.providerJobId)
    throw new DomainError("CONFLICT", "This job has already finished.");
  const provider = await fineTuningProvider(job.providerId);
  const remote = await cancelProviderJob(provider, job.providerJobId);
  const status = statusFromProvider(remote?.status) ?? "CANCELLED";
  await db.$transaction(async (tx) => {
    await tx.fineTuneJob.update({
      where: { id: job.id },
      data: { status, finishedAt: status === "CANCELLED" ? new Date() : job.finishedAt },
    });
    await writeAudit(
      {
        actor,
        action: "fine_tune.job_cancelled",
        targetType: "fine_tune_job",
        targetId: job.id,
        details: { providerJobId: job.providerJobId, status },
      },
      tx,
    );
  });
}

function finiteNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function eventRow(jobId: string, event: OpenAiEvent) {
  const data = event.data && typeof event.data === "object" ? event.data : {};
  const step = finiteNumber(data.step);
  return {
    jobId,
    providerEventId: String(event.id).slice(0, 200),
    createdAt: new Date((finiteNumber(event.created_at) ?? Date.now() / 1000) * 1000),
    level: typeof event.level === "string" ? event.level.slice(0, 20) : "info",
    message: typeof event.message === "string" ? event.message.slice(0, 2000) : "",
    step: step !== null && Number.isSafeInteger(step) ? step : null,
    trainLoss: finiteNumber(data.train_loss),
    validLoss: finiteNumber(data.valid_loss) ?? finiteNumber(data.full_valid_loss),
  };
}

type JobRow = Prisma.FineTuneJobGetPayload<object>;

/** Applies one poll's answer (status, new events) to a job; registers the model on success. */
async function applyPoll(
  job: JobRow,
  remote: OpenAiJob,
  events: OpenAiEvent[],
  provider: FineTuningProvider,
): Promise<FineTuneStatusName> {
  const status = statusFromProvider(remote.status) ?? job.status;
  const finished = (FINISHED_STATUSES as readonly string[]).includes(status);
  const trainedTokens = finiteNumber(remote.trained_tokens);
  const fineTunedModel =
    typeof remote.fine_tuned_model === "string" && remote.fine_tuned_model
      ? remote.fine_tuned_model.slice(0, 200)
      : null;
  const finishedAt = finished
    ? finiteNumber(remote.finished_at) !== null
      ? new Date(remote.finished_at! * 1000)
      : new Date()
    : null;
  const error = remote.error && typeof remote.error.message === "string" ? remote.error.message.slice(0, 1000) : null;
  await db.$transaction(async (tx) => {
    if (events.length)
      await tx.fineTuneEvent.createMany({ data: events.map((event) => eventRow(job.id, event)), skipDuplicates: true });
    await tx.fineTuneJob.update({
      where: { id: job.id },
      data: {
        status,
        lastPolledAt: new Date(),
        eventsCursor: events.length ? String(events.at(-1)!.id).slice(0, 200) : job.eventsCursor,
        ...(trainedTokens !== null && Number.isSafeInteger(trainedTokens) ? { trainedTokens } : {}),
        ...(fineTunedModel ? { fineTunedModel } : {}),
        ...(finishedAt && !job.finishedAt ? { finishedAt } : {}),
        ...(error ? { error } : {}),
      },
    });
    if (status === job.status) return;
    if (status === "SUCCEEDED" && fineTunedModel) await registerModel(tx, job, provider, fineTunedModel);
    await writeAudit(
      {
        actor: null,
        action: `fine_tune.job_${status.toLowerCase()}`,
        targetType: "fine_tune_job",
        targetId: job.id,
        details: {
          providerJobId: job.providerJobId,
          from: job.status,
          to: status,
          fineTunedModel,
          trainedTokens,
          error,
        },
      },
      tx,
    );
  });
  return status;
}

async function registerModel(tx: Prisma.TransactionClient, job: JobRow, provider: FineTuningProvider, name: string) {
  const existing = await tx.model.findUnique({
    where: { providerId_modelId: { providerId: provider.id, modelId: name } },
  });
  if (existing) {
    await tx.model.update({
      where: { id: existing.id },
      data: { type: "FINE_TUNED", baseModel: job.baseModelName, fineTuneJobId: job.id },
    });
    return;
  }
  const base = await tx.model.findUnique({
    where: { id: job.baseModelId },
    select: { contextWindow: true, maxOutputTokens: true },
  });
  const model = await tx.model.create({
    data: {
      providerId: provider.id,
      modelId: name,
      displayName: job.suffix ? `${job.baseModelName} (${job.suffix})` : `${job.baseModelName} (fine-tuned)`,
      type: "FINE_TUNED",
      baseModel: job.baseModelName,
      contextWindow: base?.contextWindow ?? null,
      maxOutputTokens: base?.maxOutputTokens ?? null,
      fineTuneJobId: job.id,
    },
    select: { id: true },
  });
  const price = await tx.modelPrice.findFirst({
    where: { modelId: job.baseModelId, effectiveFrom: { lte: new Date() } },
    orderBy: { effectiveFrom: "desc" },
  });
  // Priced only from a known fine-tuned price: otherwise unpriced until an admin enters one.
  if (price?.fineTunedInputPerMTok && price.fineTunedOutputPerMTok) {
    await tx.modelPrice.create({
      data: {
        modelId: model.id,
        currency: price.currency,
        inputPerMTok: price.fineTunedInputPerMTok,
        outputPerMTok: price.fineTunedOutputPerMTok,
        effectiveFrom: job.createdAt,
      },
    });
  }
  await writeAudit(
    {
      actor: null,
      action: "model.registered_from_fine_tune",
      targetType: "model",
      targetId: model.id,
      details: {
        providerId: provider.id,
        modelId: name,
        baseModel: job.baseModelName,
        jobId: job.id,
        priced: Boolean(price?.fineTunedInputPerMTok && price.fineTunedOutputPerMTok),
      },
    },
    tx,
  );
}

export const FINE_TUNE_RECORD_PREFIX = "fine-tune:";

/** The training cost of a succeeded job into the usage ledger (a replay is a no-op). */
export async function recordTrainingCost(job: {
  id: string;
  providerId: string;
  baseModelId: string;
  trainedTokens: number;
  finishedAt: Date;
}) {
  return recordUsage(
    [
      {
        clientRecordId: `${FINE_TUNE_RECORD_PREFIX}${job.id}`,
        occurredAt: job.finishedAt,
        providerId: job.providerId,
        modelId: job.baseModelId,
        keyId: null,
        tag: `${FINE_TUNE_RECORD_PREFIX}${job.id}`,
        inputTokens: job.trainedTokens,
        cachedInputTokens: 0,
        outputTokens: 0,
        latencyMs: 0,
        ttftMs: null,
        status: "OK",
        errorClass: null,
        httpStatus: null,
      },
    ],
    { source: "FINE_TUNE" },
  );
}

export type PollSummary = { polled: number; changed: number; recorded: number; failed: number };

/** One pass over the unfinished jobs, then the succeeded ones whose training cost is not recorded yet. */
export async function pollFineTuneJobs(options: { limit?: number } = {}): Promise<PollSummary> {
  const summary: PollSummary = { polled: 0, changed: 0, recorded: 0, failed: 0 };
  const jobs = await db.fineTuneJob.findMany({
    where: { status: { in: ["VALIDATING", "QUEUED", "RUNNING"] }, providerJobId: { not: null } },
    orderBy: [{ lastPolledAt: { sort: "asc", nulls: "first" } }],
    take: options.limit ?? 50,
  });
  for (const job of jobs) {
    summary.polled += 1;
    try {
      const provider = await fineTuningProvider(job.providerId);
      const remote = await getProviderJob(provider, job.providerJobId!);
      const events = await newProviderEvents(provider, job.providerJobId!, job.eventsCursor);
      const status = await applyPoll(job, remote, events, provider);
      if (status !== job.status) summary.changed += 1;
    } catch (error) {
      summary.failed += 1;
      logger.warn("fine-tune poll failed", { jobId: job.id, error });
      await db.fineTuneJob.update({ where: { id: job.id }, data: { lastPolledAt: new Date() } }).catch(() => undefined);
    }
  }
  const unrecorded = await db.$queryRaw<
    { id: string; provider_id: string; base_model_id: string; trained_tokens: number; finished_at: Date }[]
  >(Prisma.sql`
    SELECT j.id::text, j.provider_id::text, j.base_model_id::text, j.trained_tokens, j.finished_at
      FROM fine_tune_jobs j
     WHERE j.status = 'SUCCEEDED' AND j.trained_tokens IS NOT NULL AND j.finished_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM usage_records u
                        WHERE u.source = 'FINE_TUNE' AND u.client_record_id = ${FINE_TUNE_RECORD_PREFIX} || j.id::text)
     LIMIT 100`);
  for (const row of unrecorded) {
    try {
      const result = await recordTrainingCost({
        id: row.id,
        providerId: row.provider_id,
        baseModelId: row.base_model_id,
        trainedTokens: row.trained_tokens,
        finishedAt: row.finished_at,
      });
      summary.recorded += result.inserted.size;
    } catch (error) {
      summary.failed += 1;
      logger.error("fine-tune cost not recorded", { jobId: row.id, error });
    }
  }
  return summary;
}
