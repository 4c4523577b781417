import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { conflict, DomainError, notFound } from "@/lib/errors/domain-error";
import { diffRouteSettings, type RouteChange } from "@/lib/routes/diff";
import {
  archiveRouteSchema,
  createRouteSchema,
  rollbackRouteSchema,
  saveRouteVersionSchema,
  setRouteEnabledSchema,
} from "@/lib/routes/form-schemas";
import { findRouteVersion } from "@/lib/routes/queries";
import type { RouteSettings } from "@/lib/routes/schemas";
import {
  assertBaseVersion,
  assertNameFree,
  checkRouteSettings,
  insertRouteVersion,
  lockRoute,
  lockRouteNames,
} from "@/lib/routes/write-version";

// Routes are versioned like provider configuration: saving and rolling back both append a
// version (history is never rewritten), each based on the version the editor was opened on, and
// each change is audited in its own transaction. Audit diffs name targets by id: labels can change.

const ROUTE_PATHS = ["/gateway/routes"];
const routePaths = (input: { routeId: string }) => [...ROUTE_PATHS, `/gateway/routes/${input.routeId}`];
// Waiting for the per-route lock counts against the transaction's time.
const TX_OPTIONS = { timeout: 15_000, maxWait: 10_000 };

const idLabel = (target: { providerId: string; modelId: string }) => `${target.providerId}:${target.modelId}`;
const changesForAudit = (changes: RouteChange[]) =>
  Object.fromEntries(changes.map((change) => [change.field, { before: change.beforeText, after: change.afterText }]));

const settingsForAudit = (settings: RouteSettings) => ({ ...settings });

export type RouteVersionSaved = { routeId: string; version: number; changedFields: string[] };

export const createRouteSpec: ActionSpec<typeof createRouteSchema, RouteVersionSaved> = {
  name: "routes.create",
  capability: "gateway:write",
  schema: createRouteSchema,
  revalidate: ROUTE_PATHS,
  successMessage: (data) => `Route created (version ${data?.version ?? 1}).`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      await lockRouteNames(tx);
      await assertNameFree(tx, input.name);
      await checkRouteSettings(tx, input.name, input.settings);
      const route = await tx.route.create({
        data: { name: input.name, description: input.description },
        select: { id: true },
      });
      await insertRouteVersion(tx, route.id, actor, input.settings, {
        version: 1,
        comment: input.comment,
        rolledBackFrom: null,
      });
      await writeAudit(
        {
          actor,
          action: "route.created",
          targetType: "route",
          targetId: route.id,
          details: { name: input.name, version: 1, settings: settingsForAudit(input.settings), comment: input.comment },
        },
        tx,
      );
      return { routeId: route.id, version: 1, changedFields: [] };
    }, TX_OPTIONS),
};

export const saveRouteVersionSpec: ActionSpec<typeof saveRouteVersionSchema, RouteVersionSaved> = {
  name: "routes.saveVersion",
  capability: "gateway:write",
  schema: saveRouteVersionSchema,
  revalidate: routePaths,
  successMessage: (data) => `Saved as version ${data?.version ?? "?"}.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const route = await lockRoute(tx, input.routeId);
      const latest = await assertBaseVersion(tx, route.id, input.baseVersion);
      await checkRouteSettings(tx, route.name, input.settings);
      const changes = diffRouteSettings(latest?.settings ?? null, input.settings, idLabel);
      if (latest && changes.length === 0)
        throw new DomainError(
          "INVALID",
          `Nothing to save: these are already the settings of version ${latest.version}.`,
        );
      const version = (latest?.version ?? 0) + 1;
      await insertRouteVersion(tx, route.id, actor, input.settings, {
        version,
        comment: input.comment,
        rolledBackFrom: null,
      });
      const changedFields = changes.map((change) => change.field);
      await writeAudit(
        {
          actor,
          action: "route.version_saved",
          targetType: "route",
          targetId: route.id,
          details: {
            name: route.name,
            version,
            basedOn: input.baseVersion,
            changedFields,
            changes: changesForAudit(changes),
            comment: input.comment,
          },
        },
        tx,
      );
      return { routeId: route.id, version, changedFields };
    }, TX_OPTIONS),
};

export const rollbackRouteSpec: ActionSpec<typeof rollbackRouteSchema, RouteVersionSaved & { restored: number }> = {
  name: "routes.rollback",
  capability: "gateway:write",
  schema: rollbackRouteSchema,
  revalidate: routePaths,
  successMessage: (data) => `Version ${data?.restored ?? "?"} restored as version ${data?.version ?? "?"}.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const route = await lockRoute(tx, input.routeId);
      const latest = await assertBaseVersion(tx, route.id, input.baseVersion);
      const source = await findRouteVersion(route.id, input.version, tx);
      if (!source) throw notFound(`Version ${input.version}`);
      // The old version's targets may have been disabled or removed since: it must pass today's checks.
      await checkRouteSettings(tx, route.name, source.settings).catch((error: unknown) => {
        if (error instanceof DomainError && error.fieldErrors) {
          const reasons = Object.values(error.fieldErrors).flat().join(" ");
          throw new DomainError("INVALID", `Version ${source.version} cannot be restored: ${reasons}`);
        }
        throw error;
      });
      const changes = diffRouteSettings(latest?.settings ?? null, source.settings, idLabel);
      if (changes.length === 0)
        throw new DomainError("INVALID", `Version ${source.version}'s settings are already in force.`);
      const version = (latest?.version ?? 0) + 1;
      await insertRouteVersion(tx, route.id, actor, source.settings, {
        version,
        comment: input.comment || `Rolled back to version ${source.version}`,
        rolledBackFrom: source.version,
      });
      const changedFields = changes.map((change) => change.field);
      await writeAudit(
        {
          actor,
          action: "route.rolled_back",
          targetType: "route",
          targetId: route.id,
          details: {
            name: route.name,
            version,
            restoredVersion: source.version,
            basedOn: input.baseVersion,
            changedFields,
            changes: changesForAudit(changes),
          },
        },
        tx,
      );
      return { routeId: route.id, version, restored: source.version, changedFields };
    }, TX_OPTIONS),
};

export const setRouteEnabledSpec: ActionSpec<typeof setRouteEnabledSchema, { routeId: string }> = {
  name: "routes.setEnabled",
  capability: "gateway:write",
  schema: setRouteEnabledSchema,
  revalidate: routePaths,
  successMessage: "Route updated.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const route = await lockRoute(tx, input.routeId);
      if (route.enabled === input.enabled)
        throw conflict(`This route is already ${input.enabled ? "enabled" : "disabled"}.`);
      await tx.route.update({ where: { id: route.id }, data: { enabled: input.enabled }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: input.enabled ? "route.enabled" : "route.disabled",
          targetType: "route",
          targetId: route.id,
          details: { name: route.name },
        },
        tx,
      );
      return { routeId: route.id };
    }, TX_OPTIONS),
};

export const archiveRouteSpec: ActionSpec<typeof archiveRouteSchema, { routeId: string }> = {
  name: "routes.archive",
  capability: "gateway:write",
  schema: archiveRouteSchema,
  revalidate: routePaths,
  successMessage: "Route archived.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const route = await lockRoute(tx, input.routeId, { allowArchived: true });
      if (route.archivedAt) throw conflict("This route is already archived.");
      // Archived routes keep their name (and history) but no longer take traffic.
      await tx.route.update({
        where: { id: route.id },
        data: { archivedAt: new Date(), enabled: false },
        select: { id: true },
      });
      await writeAudit(
        { actor, action: "route.archived", targetType: "route", targetId: route.id, details: { name: route.name } },
        tx,
      );
      return { routeId: route.id };
    }, TX_OPTIONS),
};

/** Every route mutation: the role-refusal tests iterate this list. */
export const routeActionSpecs = [
  createRouteSpec,
  saveRouteVersionSpec,
  rollbackRouteSpec,
  setRouteEnabledSpec,
  archiveRouteSpec,
] as const;
