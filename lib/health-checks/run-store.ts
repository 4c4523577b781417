import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/session";
import { writeAudit } from "@/lib/audit/write-audit";
import { pickTestModel } from "@/lib/calls/call-target";
import type { CallOutcome } from "@/lib/calls/outcome";
import { announceHealthChange } from "@/lib/notifications/provider-health-events";

// Test runs in PostgreSQL: creating one (with a PENDING row per provider), and recording each
// provider's outcome together with the run's counters and the provider's failure streak.

/** A run whose heartbeat is older than this lost its instance and is shown as interrupted. */
export const STALE_AFTER_MS = 60_000;
const RUN_LOCK = "test_runs.start";

export type StartedRun = { runId: string; created: boolean };

/**
 * Starts a run over every enabled, non-archived provider, unless one is already live (then that
 * one is returned: two runs at once would only double the calls). Serialised by an advisory lock
 * so two instances or two clicks cannot both start one.
 */
export async function createTestRun(trigger: "MANUAL" | "SCHEDULED", actor: Actor | null): Promise<StartedRun> {
  const providers = await db.provider.findMany({
    where: { enabled: true, archivedAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const targets = await Promise.all(
    providers.map(async (provider) => ({ provider, model: await pickTestModel(provider.id) })),
  );
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${RUN_LOCK}))`;
    const staleBefore = new Date(Date.now() - STALE_AFTER_MS);
    const live = await tx.testRun.findFirst({
      where: { status: "RUNNING", heartbeatAt: { gte: staleBefore } },
      select: { id: true },
    });
    if (live) return { runId: live.id, created: false };
    // Runs whose instance died: closed now, their unfinished rows say so.
    const stale = await tx.testRun.findMany({ where: { status: "RUNNING" }, select: { id: true } });
    if (stale.length > 0) {
      const ids = stale.map((run) => run.id);
      await tx.testRunResult.updateMany({
        where: { runId: { in: ids }, status: { in: ["PENDING", "RUNNING"] } },
        data: { status: "ERROR", errorClass: "interrupted", message: "The instance running this check stopped." },
      });
      await tx.testRun.updateMany({ where: { id: { in: ids } }, data: { status: "DONE", finishedAt: new Date() } });
    }
    const run = await tx.testRun.create({
      data: {
        trigger,
        total: targets.length,
        startedById: actor?.id ?? null,
        results: {
          create: targets.map(({ provider, model }) => ({
            providerId: provider.id,
            providerName: provider.name,
            modelId: model?.id ?? null,
            modelName: model?.modelId ?? null,
          })),
        },
      },
      select: { id: true },
    });
    if (actor)
      await writeAudit(
        {
          actor,
          action: "test_run.started",
          targetType: "test_run",
          targetId: run.id,
          details: { trigger, providers: targets.length },
        },
        tx,
      );
    return { runId: run.id, created: true };
  });
}

export async function markResultRunning(resultId: string): Promise<void> {
  await db.testRunResult.update({
    where: { id: resultId },
    data: { status: "RUNNING", startedAt: new Date() },
    select: { id: true },
  });
}

// No chat model to call, a provider archived mid-run, this instance too busy to call it, or a call
// cancelled by its caller says nothing about the provider's health.
const countsForHealth = (outcome: CallOutcome) =>
  !["no_model", "skipped", "busy", "cancelled"].includes(outcome.errorClass ?? "");

/** One provider's outcome: result row, run counters and heartbeat, failure streak — together. */
export async function recordResult(runId: string, resultId: string, outcome: CallOutcome): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.testRunResult.update({
      where: { id: resultId },
      data: {
        status: outcome.ok ? "OK" : "ERROR",
        keyId: outcome.keyId,
        latencyMs: outcome.latencyMs,
        ttftMs: outcome.ttftMs,
        inputTokens: outcome.attempted ? outcome.inputTokens : null,
        outputTokens: outcome.attempted ? outcome.outputTokens : null,
        cost: outcome.cost,
        priced: outcome.priced,
        errorClass: outcome.errorClass,
        message: outcome.ok ? null : outcome.message,
        finishedAt: new Date(),
      },
      select: { id: true },
    });
    await tx.testRun.update({
      where: { id: runId },
      data: { completed: { increment: 1 }, failed: { increment: outcome.ok ? 0 : 1 }, heartbeatAt: new Date() },
      select: { id: true },
    });
    if (countsForHealth(outcome)) await updateHealthStreak(tx, resultId, outcome);
  });
}

// A deleted provider (mid-run) gets no health row: the EXISTS keeps the foreign key satisfied.
// The row is locked first so the streak before and after this result are both known here: the
// transition across the flag threshold is announced in this same transaction.
async function updateHealthStreak(tx: Prisma.TransactionClient, resultId: string, outcome: CallOutcome): Promise<void> {
  const [previous] = await tx.$queryRaw<{ consecutive_failures: number }[]>`
    SELECT consecutive_failures FROM provider_health WHERE provider_id = ${outcome.providerId}::uuid FOR UPDATE`;
  const [updated] = await tx.$queryRaw<{ consecutive_failures: number }[]>`
    INSERT INTO provider_health (provider_id, consecutive_failures, last_checked_at, last_ok, last_error_class, last_message)
    SELECT ${outcome.providerId}::uuid, ${outcome.ok ? 0 : 1}, now(), ${outcome.ok}, ${outcome.errorClass}, ${outcome.ok ? null : outcome.message}
     WHERE EXISTS (SELECT 1 FROM providers WHERE id = ${outcome.providerId}::uuid)
    ON CONFLICT (provider_id) DO UPDATE SET
      consecutive_failures = CASE WHEN EXCLUDED.last_ok THEN 0 ELSE provider_health.consecutive_failures + 1 END,
      last_checked_at = EXCLUDED.last_checked_at, last_ok = EXCLUDED.last_ok,
      last_error_class = EXCLUDED.last_error_class, last_message = EXCLUDED.last_message
    RETURNING consecutive_failures`;
  if (!updated) return;
  await announceHealthChange(tx, {
    providerId: outcome.providerId,
    resultId,
    before: previous?.consecutive_failures ?? 0,
    after: updated.consecutive_failures,
    ok: outcome.ok,
    errorClass: outcome.errorClass,
    message: outcome.ok ? null : outcome.message,
  });
}

export async function touchRun(runId: string): Promise<void> {
  await db.testRun.update({ where: { id: runId }, data: { heartbeatAt: new Date() }, select: { id: true } });
}

export async function finishRun(runId: string): Promise<void> {
  await db.testRun.update({
    where: { id: runId },
    data: { status: "DONE", finishedAt: new Date(), heartbeatAt: new Date() },
    select: { id: true },
  });
}

export const pendingResults = (runId: string) =>
  db.testRunResult.findMany({
    where: { runId, status: "PENDING" },
    select: { id: true, providerId: true, modelId: true },
    orderBy: { providerName: "asc" },
  });
