import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { cutoffFor, deleteRawRecordsBefore, type RetentionRun } from "@/lib/usage/retention";
import { runRetentionSchema, setRetentionSchema } from "@/lib/usage/schemas";

// Raw-record retention: the setting (how many days of raw records to keep) and a run now. Both
// admin-only. A run from the console stops after 200 batches (1M records) so the request ends;
// `npm run usage:retention` has no such cap.

const PATHS = ["/usage/retention", "/usage"];
export const CONSOLE_MAX_BATCHES = 200;

export const setRetentionSpec: ActionSpec<typeof setRetentionSchema, { retentionDays: number | null }> = {
  name: "usage.retention.set",
  capability: "settings:write",
  schema: setRetentionSchema,
  revalidate: PATHS,
  successMessage: (data) =>
    data?.retentionDays ? `Raw records are kept for ${data.retentionDays} days.` : "Raw records are kept forever.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const before = await tx.usageSettings.findUnique({ where: { id: 1 }, select: { retentionDays: true } });
      await tx.usageSettings.upsert({
        where: { id: 1 },
        create: { id: 1, retentionDays: input.retentionDays, updatedById: actor.id },
        update: { retentionDays: input.retentionDays, updatedById: actor.id },
      });
      await writeAudit(
        {
          actor,
          action: "usage.retention_set",
          targetType: "usage_settings",
          targetId: "1",
          details: { before: before?.retentionDays ?? null, after: input.retentionDays },
        },
        tx,
      );
      return { retentionDays: input.retentionDays };
    }),
};

export const runRetentionSpec: ActionSpec<typeof runRetentionSchema, RetentionRun> = {
  name: "usage.retention.run",
  capability: "settings:write",
  schema: runRetentionSchema,
  revalidate: PATHS,
  successMessage: (run) =>
    `${(run?.deleted ?? 0).toLocaleString("en-US")} raw record(s) older than ${run?.cutoff.slice(0, 10)} deleted; rollups keep their totals.` +
    (run && !run.finished ? " More remain: run it again, or use npm run usage:retention." : ""),
  // The deletion commits batch by batch (that is its point); the audit event records what happened.
  handler: async (input, actor) => {
    const run = await deleteRawRecordsBefore(cutoffFor(input.olderThanDays), { maxBatches: CONSOLE_MAX_BATCHES });
    await writeAudit({
      actor,
      action: "usage.retention_run",
      targetType: "usage_settings",
      targetId: "1",
      details: { ...run, olderThanDays: input.olderThanDays },
    });
    return run;
  },
};

export const retentionActionSpecs = [setRetentionSpec, runRetentionSpec] as const;
