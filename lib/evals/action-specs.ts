import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { casesFromFile, latestCasesFor, withNewKeys, writeVersion } from "@/lib/evals/datasets";
import {
  createDatasetSchema,
  createRunSchema,
  deleteCaseSchema,
  importVersionSchema,
  runIdSchema,
  saveCaseSchema,
} from "@/lib/evals/schemas";
import { estimateRunCost, promptTokensOf } from "@/lib/evals/estimate";
import { modelIdsOf, pricesNow, resolveRunTargets } from "@/lib/evals/targets";
import { randomUUID } from "node:crypto";

// Admins (evals:write) build datasets and make, start, cancel and resume runs; every role reads
// the results (evals:read, the pages). Each change and its audit event share one transaction.

const PATHS = ["/evals"];
const datasetPaths = (datasetId: string) => [...PATHS, `/evals/datasets/${datasetId}`];
const runPaths = (runId: string) => [...PATHS, `/evals/runs/${runId}`];

async function datasetOrNotFound(tx: Prisma.TransactionClient, id: string) {
  const dataset = await tx.evalDataset.findFirst({ where: { id, archivedAt: null }, select: { id: true, name: true } });
  if (!dataset) throw notFound("Dataset");
  return dataset;
}

export const createDatasetSpec: ActionSpec<typeof createDatasetSchema, { id: string; cases: number }> = {
  name: "evals.createDataset",
  capability: "evals:write",
  schema: createDatasetSchema,
  revalidate: PATHS,
  successMessage: (data) => `Dataset created with ${data?.cases ?? 0} cases.`,
  handler: async (input, actor) => {
    const cases = withNewKeys(casesFromFile(input.content, input.format));
    return db.$transaction(async (tx) => {
      const taken = await tx.evalDataset.findUnique({ where: { name: input.name }, select: { id: true } });
      if (taken)
        throw new DomainError("CONFLICT", "Check the highlighted fields.", { name: ["A dataset has this name."] });
      const dataset = await tx.evalDataset.create({
        data: { name: input.name, description: input.description, createdById: actor.id },
        select: { id: true },
      });
      const version = await writeVersion(tx, dataset.id, cases, { comment: "Imported", authorId: actor.id });
      await writeAudit(
        {
          actor,
          action: "eval_dataset.created",
          targetType: "eval_dataset",
          targetId: dataset.id,
          details: { name: input.name, version: version.version, cases: cases.length, format: input.format },
        },
        tx,
      );
      return { id: dataset.id, cases: cases.length };
    });
  },
};

export const importVersionSpec: ActionSpec<typeof importVersionSchema, { version: number; cases: number }> = {
  name: "evals.importVersion",
  capability: "evals:write",
  schema: importVersionSchema,
  revalidate: (input) => datasetPaths(input.datasetId),
  successMessage: (data) => `Version ${data?.version ?? ""} saved with ${data?.cases ?? 0} cases.`,
  handler: async (input, actor) => {
    const cases = withNewKeys(casesFromFile(input.content, input.format));
    return db.$transaction(async (tx) => {
      const dataset = await datasetOrNotFound(tx, input.datasetId);
      const version = await writeVersion(tx, dataset.id, cases, {
        comment: input.comment || "Imported",
        authorId: actor.id,
      });
      await writeAudit(
        {
          actor,
          action: "eval_dataset.imported",
          targetType: "eval_dataset",
          targetId: dataset.id,
          details: { name: dataset.name, version: version.version, cases: cases.length, format: input.format },
        },
        tx,
      );
      return { version: version.version, cases: cases.length };
    });
  },
};

export const saveCaseSpec: ActionSpec<typeof saveCaseSchema, { version: number; caseKey: string }> = {
  name: "evals.saveCase",
  capability: "evals:write",
  schema: saveCaseSchema,
  revalidate: (input) => datasetPaths(input.datasetId),
  successMessage: (data) => `Saved as version ${data?.version ?? ""}.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const dataset = await datasetOrNotFound(tx, input.datasetId);
      const cases = await latestCasesFor(tx, dataset.id, input.baseVersion);
      const caseKey = input.caseKey ?? randomUUID();
      const index = cases.findIndex((item) => item.caseKey === caseKey);
      if (input.caseKey && index < 0) throw notFound("Case");
      const edited = { ...input.case, caseKey };
      if (index >= 0) cases[index] = edited;
      else cases.push(edited);
      if (cases.length > 5_000) throw new DomainError("INVALID", "A dataset holds at most 5,000 cases.");
      const version = await writeVersion(tx, dataset.id, cases, {
        comment: input.comment || (index >= 0 ? `Edited case ${index + 1}` : "Added a case"),
        authorId: actor.id,
      });
      await writeAudit(
        {
          actor,
          action: index >= 0 ? "eval_case.edited" : "eval_case.added",
          targetType: "eval_dataset",
          targetId: dataset.id,
          details: { name: dataset.name, version: version.version, caseKey },
        },
        tx,
      );
      return { version: version.version, caseKey };
    }),
};

export const deleteCaseSpec: ActionSpec<typeof deleteCaseSchema, { version: number }> = {
  name: "evals.deleteCase",
  capability: "evals:write",
  schema: deleteCaseSchema,
  revalidate: (input) => datasetPaths(input.datasetId),
  successMessage: (data) => `Case removed in version ${data?.version ?? ""}.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const dataset = await datasetOrNotFound(tx, input.datasetId);
      const cases = await latestCasesFor(tx, dataset.id, input.baseVersion);
      const kept = cases.filter((item) => item.caseKey !== input.caseKey);
      if (kept.length === cases.length) throw notFound("Case");
      if (kept.length === 0) throw new DomainError("CONFLICT", "A dataset keeps at least one case.");
      const version = await writeVersion(tx, dataset.id, kept, { comment: "Removed a case", authorId: actor.id });
      await writeAudit(
        {
          actor,
          action: "eval_case.deleted",
          targetType: "eval_dataset",
          targetId: dataset.id,
          details: { name: dataset.name, version: version.version, caseKey: input.caseKey },
        },
        tx,
      );
      return { version: version.version };
    }),
};

async function checkJudges(scorers: Prisma.InputJsonValue[]): Promise<void> {
  for (const [index, scorer] of scorers.entries()) {
    const config = scorer as { kind: string; providerId?: string; modelId?: string };
    if (config.kind !== "LLM_JUDGE") continue;
    const model = await db.model.findFirst({
      where: {
        id: config.modelId,
        providerId: config.providerId,
        type: { not: "EMBEDDING" },
        provider: { archivedAt: null },
      },
      select: { id: true },
    });
    if (!model)
      throw new DomainError("INVALID", "Check the highlighted fields.", {
        [`scorers.${index}.modelId`]: ["The judge model no longer exists."],
        scorers: ["A judge model no longer exists."],
      });
  }
}

export const createRunSpec: ActionSpec<typeof createRunSchema, { id: string; estimatedCost: string | null }> = {
  name: "evals.createRun",
  capability: "evals:write",
  schema: createRunSchema,
  revalidate: PATHS,
  successMessage: (data) =>
    data?.estimatedCost === null ? "Run created (not estimated: a model has no price)." : "Run created.",
  handler: async (input, actor) => {
    const version = await db.evalDatasetVersion.findFirst({
      where: { datasetId: input.datasetId, dataset: { archivedAt: null } },
      orderBy: { version: "desc" },
      select: { id: true, version: true, dataset: { select: { name: true } } },
    });
    if (!version)
      throw new DomainError("INVALID", "Check the highlighted fields.", { datasetId: ["Choose a dataset."] });
    const targets = await resolveRunTargets(input.targets);
    const scorers = input.scorers as unknown as Prisma.InputJsonValue[];
    await checkJudges(scorers);
    const cases = await db.evalCase.findMany({
      where: { datasetVersionId: version.id },
      orderBy: { position: "asc" },
      select: { id: true, prompt: true, messages: true },
    });
    const prompts = cases.map((item) => ({
      prompt: item.prompt,
      messages: item.messages as { role: "user" | "system" | "assistant"; content: string }[] | null,
    }));
    const modelIds = await Promise.all(targets.map(modelIdsOf));
    const prices = await pricesNow([...new Set(modelIds.flat())]);
    const estimatedCost = estimateRunCost(
      promptTokensOf(prompts),
      cases.length,
      input.maxOutputTokens,
      modelIds.map((ids) => ids.map((id) => prices.get(id) ?? null)),
    );
    return db.$transaction(async (tx) => {
      const now = new Date();
      const run = await tx.evalRun.create({
        data: {
          name: input.name || `${version.dataset.name} v${version.version}`,
          datasetVersionId: version.id,
          status: input.startNow ? "RUNNING" : "DRAFT",
          startedAt: input.startNow ? now : null,
          concurrency: input.concurrency,
          maxOutputTokens: input.maxOutputTokens,
          totalResults: cases.length * targets.length,
          estimatedCost,
          createdById: actor.id,
        },
        select: { id: true },
      });
      const targetIds: string[] = [];
      for (const [position, target] of targets.entries()) {
        const row = await tx.evalRunTarget.create({
          data: { runId: run.id, position, ...target },
          select: { id: true },
        });
        targetIds.push(row.id);
      }
      await tx.evalRunScorer.createMany({
        data: input.scorers.map((config, position) => ({
          runId: run.id,
          position,
          kind: config.kind,
          config: config as unknown as Prisma.InputJsonValue,
        })),
      });
      await tx.evalCaseResult.createMany({
        data: targetIds.flatMap((targetId) => cases.map((item) => ({ runId: run.id, targetId, caseId: item.id }))),
      });
      await writeAudit(
        {
          actor,
          action: "eval_run.created",
          targetType: "eval_run",
          targetId: run.id,
          details: {
            dataset: version.dataset.name,
            version: version.version,
            targets: targets.map((target) => target.label),
            scorers: input.scorers.map((scorer) => scorer.kind),
            cases: cases.length,
            estimatedCost,
            started: input.startNow,
          },
        },
        tx,
      );
      return { id: run.id, estimatedCost };
    });
  },
};

type Transition = { from: readonly ("DRAFT" | "RUNNING" | "CANCELLED" | "DONE")[]; to: "RUNNING" | "CANCELLED" };

function runTransition(
  name: string,
  action: string,
  transition: Transition,
  message: string,
  refusal: string,
): ActionSpec<typeof runIdSchema, undefined> {
  return {
    name,
    capability: "evals:write",
    schema: runIdSchema,
    revalidate: (input) => runPaths(input.runId),
    successMessage: message,
    handler: (input, actor) =>
      db.$transaction(async (tx) => {
        const run = await tx.evalRun.findUnique({
          where: { id: input.runId },
          select: { id: true, status: true, startedAt: true },
        });
        if (!run) throw notFound("Run");
        if (!transition.from.includes(run.status)) throw new DomainError("CONFLICT", refusal);
        const now = new Date();
        await tx.evalRun.update({
          where: { id: run.id },
          data:
            transition.to === "CANCELLED"
              ? { status: "CANCELLED", cancelRequestedAt: now }
              : { status: "RUNNING", cancelRequestedAt: null, startedAt: run.startedAt ?? now },
        });
        await writeAudit(
          { actor, action, targetType: "eval_run", targetId: run.id, details: { from: run.status, to: transition.to } },
          tx,
        );
      }),
  };
}

export const startRunSpec = runTransition(
  "evals.startRun",
  "eval_run.started",
  { from: ["DRAFT"], to: "RUNNING" },
  "Run started.",
  "Only a run that has not started can be started.",
);
export const cancelRunSpec = runTransition(
  "evals.cancelRun",
  "eval_run.cancelled",
  { from: ["RUNNING", "DRAFT"], to: "CANCELLED" },
  "Run cancelled: calls in flight finish, nothing new starts.",
  "Only a running run can be cancelled.",
);
export const resumeRunSpec = runTransition(
  "evals.resumeRun",
  "eval_run.resumed",
  { from: ["CANCELLED"], to: "RUNNING" },
  "Run resumed: the remaining cases are queued.",
  "Only a cancelled run can be resumed.",
);

export const evalActionSpecs = [
  createDatasetSpec,
  importVersionSpec,
  saveCaseSpec,
  deleteCaseSpec,
  createRunSpec,
  startRunSpec,
  cancelRunSpec,
  resumeRunSpec,
];
