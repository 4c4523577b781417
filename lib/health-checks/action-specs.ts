import "server-only";
import { db } from "@/lib/db/client";
import type { ActionSpec } from "@/lib/actions/define-action";
import { writeAudit } from "@/lib/audit/write-audit";
import { startTestRun } from "@/lib/health-checks/execute-run";
import { saveTestCallSettings } from "@/lib/health-checks/settings";
import { healthSettingsSchema, startTestRunSchema, transcriptSettingsSchema } from "@/lib/test-calls/schemas";

export const startTestAllSpec = {
  name: "healthChecks.testAll",
  capability: "providers:write",
  schema: startTestRunSchema,
  successMessage: (data) =>
    data?.created ? "Testing every enabled provider…" : "A run is already in progress; showing it.",
  handler: (_input, actor) => startTestRun("MANUAL", actor),
} satisfies ActionSpec<typeof startTestRunSchema, { runId: string; created: boolean }>;

export const updateHealthSettingsSpec = {
  name: "healthChecks.settings",
  capability: "settings:write",
  schema: healthSettingsSchema,
  successMessage: (data) =>
    data?.intervalMinutes
      ? `Scheduled health checks run every ${data.intervalMinutes} minutes.`
      : "Scheduled health checks are off.",
  revalidate: ["/health-checks", "/providers", "/"],
  handler: async (input, actor) =>
    db.$transaction(async (tx) => {
      const intervalMinutes = input.intervalMinutes === 0 ? null : input.intervalMinutes;
      const { before, after } = await saveTestCallSettings(
        tx,
        { healthCheckIntervalMinutes: intervalMinutes, failureThreshold: input.failureThreshold },
        actor.id,
      );
      await writeAudit(
        {
          actor,
          action: "health_checks.settings_changed",
          targetType: "settings",
          targetId: "test_calls",
          details: {
            intervalMinutes: { before: before.healthCheckIntervalMinutes, after: after.healthCheckIntervalMinutes },
            failureThreshold: { before: before.failureThreshold, after: after.failureThreshold },
          },
        },
        tx,
      );
      return { intervalMinutes };
    }),
} satisfies ActionSpec<typeof healthSettingsSchema, { intervalMinutes: number | null }>;

export const updateTranscriptSettingsSpec = {
  name: "playground.settings",
  capability: "settings:write",
  schema: transcriptSettingsSchema,
  successMessage: (data) =>
    data?.storeTranscripts
      ? "Playground prompts and answers are now stored."
      : "Playground prompts and answers are not stored.",
  revalidate: ["/playground"],
  handler: async (input, actor) =>
    db.$transaction(async (tx) => {
      const { before } = await saveTestCallSettings(
        tx,
        { storePlaygroundTranscripts: input.storeTranscripts },
        actor.id,
      );
      await writeAudit(
        {
          actor,
          action: "playground.transcripts_changed",
          targetType: "settings",
          targetId: "test_calls",
          details: { before: before.storePlaygroundTranscripts, after: input.storeTranscripts },
        },
        tx,
      );
      return { storeTranscripts: input.storeTranscripts };
    }),
} satisfies ActionSpec<typeof transcriptSettingsSchema, { storeTranscripts: boolean }>;

/** Every health-check and playground settings spec, for the role-refusal tests. */
export const healthCheckActionSpecs = [
  startTestAllSpec,
  updateHealthSettingsSpec,
  updateTranscriptSettingsSpec,
] as const;
