import "server-only";
import { cache } from "react";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { STALE_AFTER_MS } from "@/lib/health-checks/run-store";
import { DEFAULT_SETTINGS } from "@/lib/health-checks/settings";

const runSelect = {
  id: true,
  trigger: true,
  status: true,
  total: true,
  completed: true,
  failed: true,
  startedAt: true,
  heartbeatAt: true,
  finishedAt: true,
} satisfies Prisma.TestRunSelect;

const resultSelect = {
  id: true,
  providerId: true,
  providerName: true,
  modelName: true,
  status: true,
  latencyMs: true,
  ttftMs: true,
  inputTokens: true,
  outputTokens: true,
  cost: true,
  priced: true,
  errorClass: true,
  message: true,
} satisfies Prisma.TestRunResultSelect;

type RunRow = Prisma.TestRunGetPayload<{ select: typeof runSelect }>;
type ResultRow = Prisma.TestRunResultGetPayload<{ select: typeof resultSelect }>;

/** JSON-safe: dates as ISO strings, cost as a decimal string (null = unpriced or not run). */
export type TestRunResultDto = Omit<ResultRow, "cost"> & { cost: string | null };
export type TestRunDto = Omit<RunRow, "startedAt" | "heartbeatAt" | "finishedAt" | "status"> & {
  status: RunRow["status"] | "INTERRUPTED";
  startedAt: string;
  finishedAt: string | null;
};
export type TestRunProgressDto = { run: TestRunDto; results: TestRunResultDto[] };

function runDto(run: RunRow, now = Date.now()): TestRunDto {
  const interrupted = run.status === "RUNNING" && now - run.heartbeatAt.getTime() > STALE_AFTER_MS;
  return {
    id: run.id,
    trigger: run.trigger,
    status: interrupted ? "INTERRUPTED" : run.status,
    total: run.total,
    completed: run.completed,
    failed: run.failed,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** A run with every provider's row, for the progress poll and the summary table. */
export async function getTestRunProgress(runId: string): Promise<TestRunProgressDto | null> {
  const run = await db.testRun.findUnique({
    where: { id: runId },
    select: { ...runSelect, results: { select: resultSelect, orderBy: { providerName: "asc" } } },
  });
  if (!run) return null;
  const { results, ...rest } = run;
  return { run: runDto(rest), results: results.map((row) => ({ ...row, cost: row.cost?.toFixed() ?? null })) };
}

export async function listRecentRuns(limit = 10): Promise<TestRunDto[]> {
  const runs = await db.testRun.findMany({ select: runSelect, orderBy: { startedAt: "desc" }, take: limit });
  return runs.map((run) => runDto(run));
}

export async function latestRunId(): Promise<string | null> {
  return (await db.testRun.findFirst({ select: { id: true }, orderBy: { startedAt: "desc" } }))?.id ?? null;
}

export type FlaggedProvider = {
  providerId: string;
  name: string;
  consecutiveFailures: number;
  lastErrorClass: string | null;
  lastCheckedAt: Date | null;
};

/** Providers whose last N checks all failed (N from the settings): flagged, never disabled. */
export const flaggedProviders = cache(async (): Promise<{ threshold: number; providers: FlaggedProvider[] }> => {
  // One round trip (the threshold from the settings singleton, default 3, joined to the health
  // rows): the overview and the provider list render this on every view.
  const { rows } = await pool.query<{
    threshold: number;
    provider_id: string | null;
    name: string;
    consecutive_failures: number;
    last_error_class: string | null;
    last_checked_at: Date | null;
  }>(
    `WITH s AS (SELECT COALESCE((SELECT failure_threshold FROM test_call_settings WHERE id = 1), $1::int) AS threshold)
     SELECT s.threshold, h.provider_id::text, p.name, h.consecutive_failures, h.last_error_class, h.last_checked_at
       FROM s LEFT JOIN (provider_health h JOIN providers p ON p.id = h.provider_id AND p.archived_at IS NULL)
         ON h.consecutive_failures >= s.threshold
      ORDER BY h.consecutive_failures DESC NULLS LAST, p.name`,
    [DEFAULT_SETTINGS.failureThreshold],
  );
  const providers = rows
    .filter((row) => row.provider_id !== null)
    .map((row) => ({
      providerId: row.provider_id!,
      name: row.name,
      consecutiveFailures: row.consecutive_failures,
      lastErrorClass: row.last_error_class,
      lastCheckedAt: row.last_checked_at,
    }));
  return { threshold: rows[0]?.threshold ?? DEFAULT_SETTINGS.failureThreshold, providers };
});
