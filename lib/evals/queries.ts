import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { scorerConfigSchema, type ScorerConfig } from "@/lib/evals/scorer-config";
import { caseInputText, type CaseMessage } from "@/lib/evals/cases";
import { summariseRun, type ResultRow } from "@/lib/evals/summary";
import { fromUnits, toUnits } from "@/lib/usage/money";

// Reads for the evaluation pages and the CSV export (evals:read). Ids arrive validated; a miss is
// null (the page answers 404).

const uuid = z.uuid();
const isUuid = (id: string) => uuid.safeParse(id).success;

export async function listDatasets() {
  const rows = await db.evalDataset.findMany({
    where: { archivedAt: null },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      description: true,
      updatedAt: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, caseCount: true } },
    },
  });
  return rows.map(({ versions, ...row }) => ({
    ...row,
    version: versions[0]?.version ?? 0,
    cases: versions[0]?.caseCount ?? 0,
  }));
}
export type DatasetListRow = Awaited<ReturnType<typeof listDatasets>>[number];

const caseSelect = {
  id: true,
  caseKey: true,
  position: true,
  prompt: true,
  messages: true,
  expectedOutput: true,
  metadata: true,
} satisfies Prisma.EvalCaseSelect;

export type CaseRow = {
  id: string;
  caseKey: string;
  position: number;
  prompt: string | null;
  messages: CaseMessage[] | null;
  expectedOutput: string;
  metadata: Record<string, unknown>;
};

const toCaseRow = (row: Prisma.EvalCaseGetPayload<{ select: typeof caseSelect }>): CaseRow => ({
  ...row,
  messages: (row.messages as CaseMessage[] | null) ?? null,
  metadata: (row.metadata ?? {}) as Record<string, unknown>,
});

/** A dataset with its versions and the cases of one version (the latest unless `version` names another). */
export async function getDataset(id: string, version?: number) {
  if (!isUuid(id)) return null;
  const dataset = await db.evalDataset.findFirst({
    where: { id, archivedAt: null },
    select: {
      id: true,
      name: true,
      description: true,
      versions: {
        orderBy: { version: "desc" },
        select: { id: true, version: true, caseCount: true, comment: true, createdAt: true, authorId: true },
      },
    },
  });
  if (!dataset) return null;
  const latest = dataset.versions[0] ?? null;
  const shown = (version ? dataset.versions.find((row) => row.version === version) : latest) ?? latest;
  const cases = shown
    ? (
        await db.evalCase.findMany({
          where: { datasetVersionId: shown.id },
          orderBy: { position: "asc" },
          select: caseSelect,
        })
      ).map(toCaseRow)
    : [];
  return { ...dataset, latest, shown, cases };
}

export async function listRuns(limit = 50) {
  const runs = await db.evalRun.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      name: true,
      status: true,
      totalResults: true,
      estimatedCost: true,
      createdAt: true,
      datasetVersion: { select: { version: true, dataset: { select: { id: true, name: true } } } },
      targets: { orderBy: { position: "asc" }, select: { label: true } },
    },
  });
  const counts = await runProgressMany(runs.map((run) => run.id));
  return runs.map((run) => ({
    ...run,
    estimatedCost: run.estimatedCost?.toFixed() ?? null,
    progress: counts.get(run.id)!,
  }));
}
export type RunListRow = Awaited<ReturnType<typeof listRuns>>[number];

export type RunProgress = { total: number; done: number; failed: number; running: number; pending: number };

async function runProgressMany(ids: string[]): Promise<Map<string, RunProgress>> {
  const out = new Map<string, RunProgress>(
    ids.map((id) => [id, { total: 0, done: 0, failed: 0, running: 0, pending: 0 }]),
  );
  if (ids.length === 0) return out;
  const rows = await db.evalCaseResult.groupBy({
    by: ["runId", "status"],
    where: { runId: { in: ids } },
    _count: true,
  });
  for (const row of rows) {
    const progress = out.get(row.runId)!;
    progress.total += row._count;
    const key = ({ DONE: "done", FAILED: "failed", RUNNING: "running", PENDING: "pending" } as const)[row.status];
    progress[key] += row._count;
  }
  return out;
}

export type RunResultRow = Omit<ResultRow, "scores"> & {
  id: string;
  caseKey: string;
  position: number;
  input: string;
  expected: string;
  output: string;
  errorMessage: string | null;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  scores: (ResultRow["scores"][number] & { reasoning: string; error: string | null })[];
};

/** A run with its targets, scorers, every result and the per-target summary. */
export async function getRun(id: string) {
  if (!isUuid(id)) return null;
  const run = await db.evalRun.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      status: true,
      concurrency: true,
      maxOutputTokens: true,
      totalResults: true,
      estimatedCost: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      datasetVersion: { select: { id: true, version: true, dataset: { select: { id: true, name: true } } } },
      targets: {
        orderBy: { position: "asc" },
        select: { id: true, label: true, providerId: true, modelId: true, routeId: true },
      },
      scorers: { orderBy: { position: "asc" }, select: { id: true, position: true, kind: true, config: true } },
    },
  });
  if (!run) return null;
  const results = await db.evalCaseResult.findMany({
    where: { runId: id },
    select: {
      id: true,
      targetId: true,
      status: true,
      output: true,
      errorMessage: true,
      latencyMs: true,
      ttftMs: true,
      inputTokens: true,
      outputTokens: true,
      cost: true,
      case: { select: { caseKey: true, position: true, prompt: true, messages: true, expectedOutput: true } },
      scores: { select: { scorerId: true, score: true, passed: true, reasoning: true, error: true, cost: true } },
    },
  });
  const rows: RunResultRow[] = results.map((row) => {
    const judgeUnits = row.scores.reduce((sum, score) => sum + (score.cost ? toUnits(score.cost.toFixed()) : 0n), 0n);
    return {
      id: row.id,
      targetId: row.targetId,
      status: row.status,
      latencyMs: row.latencyMs,
      // The answer's cost plus the judge's calls (an unpriced judge call adds nothing it could be priced at).
      cost: row.cost === null ? null : fromUnits(toUnits(row.cost.toFixed()) + judgeUnits),
      caseKey: row.case.caseKey,
      position: row.case.position,
      input: caseInputText({ prompt: row.case.prompt, messages: (row.case.messages as CaseMessage[] | null) ?? null }),
      expected: row.case.expectedOutput,
      output: row.output,
      errorMessage: row.errorMessage,
      ttftMs: row.ttftMs,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      scores: row.scores.map((score) => ({
        scorerId: score.scorerId,
        score: score.score === null ? null : Number(score.score),
        passed: score.passed,
        reasoning: score.reasoning,
        error: score.error,
      })),
    };
  });
  rows.sort((a, b) => a.position - b.position);
  const scorers = run.scorers.map((scorer) => ({
    id: scorer.id,
    config: (scorerConfigSchema.safeParse(scorer.config).data ?? { kind: "VALID_JSON" }) as ScorerConfig,
  }));
  const summary = summariseRun(
    run.targets,
    scorers.map((scorer) => scorer.id),
    rows,
  );
  const progress = (await runProgressMany([id])).get(id)!;
  return { ...run, estimatedCost: run.estimatedCost?.toFixed() ?? null, scorers, rows, summary, progress };
}
export type RunDetail = NonNullable<Awaited<ReturnType<typeof getRun>>>;

/** What the run form offers: datasets, chat models (with provider), routes. */
export async function runFormOptions() {
  const [datasets, models, routes] = await Promise.all([
    listDatasets(),
    db.model.findMany({
      where: { type: { not: "EMBEDDING" }, provider: { archivedAt: null } },
      orderBy: [{ provider: { name: "asc" } }, { modelId: "asc" }],
      select: { id: true, modelId: true, provider: { select: { id: true, name: true } } },
    }),
    db.route.findMany({ where: { archivedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return {
    datasets: datasets.map((row) => ({ id: row.id, name: row.name, cases: row.cases })),
    models: models.map((row) => ({
      providerId: row.provider.id,
      modelId: row.id,
      label: `${row.provider.name} / ${row.modelId}`,
    })),
    routes,
  };
}
export type RunFormOptions = Awaited<ReturnType<typeof runFormOptions>>;
