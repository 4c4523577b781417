import "server-only";
import { DomainError } from "@/lib/errors/domain-error";
import type { Actor } from "@/lib/auth/session";
import { logger } from "@/lib/log/logger";
import { loadCallModel, loadCallProvider, type CallModel } from "@/lib/calls/call-target";
import { executeCall } from "@/lib/calls/execute-call";
import { unattempted, type CallOutcome } from "@/lib/calls/outcome";
import { saveKeyLastTest } from "@/lib/test-calls/run-test-call";
import { TEST_MAX_OUTPUT_TOKENS, TEST_USAGE_TAG, testMessagesFor, testUsage } from "@/lib/test-calls/test-prompt";
import { forEachWithConcurrency } from "@/lib/health-checks/pool";
import {
  createTestRun,
  finishRun,
  markResultRunning,
  pendingResults,
  recordResult,
  touchRun,
  type StartedRun,
} from "@/lib/health-checks/run-store";

/** Calls in flight at once during a run. */
export const TEST_RUN_CONCURRENCY = 4;
const HEARTBEAT_MS = 10_000;

function skipped(providerId: string, message: string): CallOutcome {
  return unattempted({ providerId, modelId: null, modelName: null, keyId: null }, "skipped", message);
}

/** One provider of a run: its primary key, its test model, the tiny prompt. */
async function checkProvider(providerId: string, modelId: string | null): Promise<CallOutcome> {
  try {
    const provider = await loadCallProvider(providerId);
    let model: CallModel | null = null;
    if (modelId) model = await loadCallModel(provider.id, modelId).catch(() => null);
    const outcome = await executeCall({
      provider,
      model,
      key: { providerId },
      messages: testMessagesFor(provider.kind),
      maxOutputTokens: TEST_MAX_OUTPUT_TOKENS,
      usage: testUsage(TEST_USAGE_TAG.healthCheck),
    });
    await saveKeyLastTest(outcome, null, "key.tested");
    return outcome;
  } catch (error) {
    // Archived or deleted since the run started: reported, not counted against its health.
    if (error instanceof DomainError) return skipped(providerId, error.message);
    throw error;
  }
}

/** Works through a run's pending rows with bounded concurrency, keeping its heartbeat fresh. */
export async function executeTestRun(runId: string): Promise<void> {
  const heartbeat = setInterval(() => void touchRun(runId).catch(() => undefined), HEARTBEAT_MS);
  try {
    const pending = await pendingResults(runId);
    await forEachWithConcurrency(pending, TEST_RUN_CONCURRENCY, async (row) => {
      await markResultRunning(row.id);
      let outcome: CallOutcome;
      try {
        outcome = await checkProvider(row.providerId, row.modelId);
      } catch (error) {
        logger.error("test run: provider check failed", { runId, providerId: row.providerId, error });
        outcome = {
          ...skipped(row.providerId, "The check failed unexpectedly; the error was logged."),
          errorClass: "internal",
        };
      }
      await recordResult(runId, row.id, outcome);
    });
  } finally {
    clearInterval(heartbeat);
    await finishRun(runId).catch((error: unknown) => logger.error("test run: could not finish", { runId, error }));
  }
}

/**
 * Starts a run and works through it in the background of this process; progress is read from
 * PostgreSQL by any instance. Returns at once with the run id.
 */
export async function startTestRun(trigger: "MANUAL" | "SCHEDULED", actor: Actor | null): Promise<StartedRun> {
  const started = await createTestRun(trigger, actor);
  if (started.created) {
    void executeTestRun(started.runId).catch((error: unknown) =>
      logger.error("test run failed", { runId: started.runId, error }),
    );
  }
  return started;
}
