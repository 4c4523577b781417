import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { changesForAudit, diffConfig } from "@/lib/config/diff";
import { findConfigVersion } from "@/lib/config/queries";
import { rollbackConfigSchema, saveConfigSchema, snapshotOf } from "@/lib/config/schemas";
import {
  assertBaseVersion,
  assertInRange,
  auditTarget,
  insertConfigVersion,
  lockConfigTarget,
} from "@/lib/config/write-version";

// Saving and rolling back both append a version: history is never rewritten, and a rollback is
// itself a change someone made, with an author, a time and an audit event.

export type ConfigVersionSaved = { version: number; changedFields: string[] };

const configPaths = (input: { providerId: string }) => [
  `/providers/${input.providerId}/configuration`,
  `/providers/${input.providerId}`,
];
// Waiting for the per-target lock counts against the transaction's time; a handful of admins
// saving the same target at once must not time out.
const TX_OPTIONS = { timeout: 15_000, maxWait: 10_000 };

export const saveConfigSpec: ActionSpec<typeof saveConfigSchema, ConfigVersionSaved> = {
  name: "config.save",
  capability: "providers:write",
  schema: saveConfigSchema,
  revalidate: configPaths,
  successMessage: (data) => `Saved as version ${data?.version ?? "?"}.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const target = await lockConfigTarget(tx, input.providerId, input.modelId);
      const snapshot = snapshotOf(input);
      assertInRange(target, snapshot);
      const latest = await assertBaseVersion(tx, target, input.baseVersion);
      const changes = diffConfig(latest?.snapshot ?? null, snapshot);
      if (changes.length === 0) {
        throw new DomainError(
          "INVALID",
          latest
            ? `Nothing to save: these are already the values of version ${latest.version}.`
            : "Nothing to save: set at least one field.",
        );
      }
      const version = (latest?.version ?? 0) + 1;
      await insertConfigVersion(tx, target, actor, snapshot, { version, comment: input.comment, rolledBackFrom: null });
      const changedFields = changes.map((change) => change.field);
      await writeAudit(
        {
          actor,
          action: "config.saved",
          ...auditTarget(target),
          details: {
            scope: target.scope,
            providerId: target.providerId,
            modelId: target.modelId,
            version,
            basedOn: input.baseVersion,
            changedFields,
            changes: changesForAudit(changes),
            comment: input.comment,
          },
        },
        tx,
      );
      return { version, changedFields };
    }, TX_OPTIONS),
};

export const rollbackConfigSpec: ActionSpec<typeof rollbackConfigSchema, ConfigVersionSaved & { restored: number }> = {
  name: "config.rollback",
  capability: "providers:write",
  schema: rollbackConfigSchema,
  revalidate: configPaths,
  successMessage: (data) => `Version ${data?.restored ?? "?"} restored as version ${data?.version ?? "?"}.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const target = await lockConfigTarget(tx, input.providerId, input.modelId);
      const latest = await assertBaseVersion(tx, target, input.baseVersion);
      const source = await findConfigVersion(target.providerId, target.modelId, input.version, tx);
      if (!source) throw notFound(`Version ${input.version}`);
      assertInRange(
        target,
        source.snapshot,
        `Version ${source.version} no longer fits this provider kind's ranges; edit the configuration instead.`,
      );
      const changes = diffConfig(latest?.snapshot ?? null, source.snapshot);
      if (changes.length === 0)
        throw new DomainError("INVALID", `Version ${source.version}'s values are already in force.`);
      const version = (latest?.version ?? 0) + 1;
      const comment = input.comment || `Rolled back to version ${source.version}`;
      await insertConfigVersion(tx, target, actor, source.snapshot, {
        version,
        comment,
        rolledBackFrom: source.version,
      });
      const changedFields = changes.map((change) => change.field);
      await writeAudit(
        {
          actor,
          action: "config.rolled_back",
          ...auditTarget(target),
          details: {
            scope: target.scope,
            providerId: target.providerId,
            modelId: target.modelId,
            version,
            restoredVersion: source.version,
            basedOn: input.baseVersion,
            changedFields,
            changes: changesForAudit(changes),
          },
        },
        tx,
      );
      return { version, restored: source.version, changedFields };
    }, TX_OPTIONS),
};

/** Every configuration mutation: the role-refusal tests iterate this list. */
export const configActionSpecs = [saveConfigSpec, rollbackConfigSpec] as const;
