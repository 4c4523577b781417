import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { createGatewayKeySpec } from "@/lib/gateway-keys/action-specs";
import {
  archiveRouteSpec,
  createRouteSpec,
  rollbackRouteSpec,
  routeActionSpecs,
  saveRouteVersionSpec,
  setRouteEnabledSpec,
} from "@/lib/routes/action-specs";
import { getRoute, listRouteVersions, loadTargetLabeler } from "@/lib/routes/queries";
import type { AnySpec } from "../support/action-spec-inventory";
import { createActor } from "../support/actors";
import { dbFingerprint } from "../support/db-fingerprint";

const suffix = () => randomUUID().slice(0, 8);
let admin: Actor;
let finance: Actor;
let viewer: Actor;
type Seeded = { providerId: string; slug: string; modelId: string; apiModelId: string };
let primary: Seeded;
let backup: Seeded;

async function seedModel(options: { providerEnabled?: boolean; modelEnabled?: boolean; archived?: boolean } = {}) {
  const provider = await db.provider.create({
    data: {
      name: `Routes ${suffix()}`,
      kind: "openai",
      baseUrl: "https://api.routes.example/v1",
      enabled: options.providerEnabled ?? true,
      archivedAt: options.archived ? new Date() : null,
    },
    select: { id: true, slug: true },
  });
  const apiModelId = `route-model-${suffix()}`;
  const model = await db.model.create({
    data: {
      providerId: provider.id,
      modelId: apiModelId,
      displayName: "Route model",
      enabled: options.modelEnabled ?? true,
    },
    select: { id: true },
  });
  return { providerId: provider.id, slug: provider.slug, modelId: model.id, apiModelId };
}

const target = (seeded: Seeded, extra: Record<string, unknown> = {}) => ({
  providerId: seeded.providerId,
  modelId: seeded.modelId,
  ...extra,
});
const fallback = (...targets: Record<string, unknown>[]) => ({ strategy: "FALLBACK", groups: [{ targets }] });

async function createRoute(settings: Record<string, unknown> = fallback(target(primary), target(backup))) {
  const result = await executeAction(createRouteSpec, admin, {
    name: `chat-${suffix()}`,
    settings: JSON.stringify(settings),
    comment: "first",
  });
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return result.data!.routeId;
}

const versionsOf = (routeId: string) =>
  db.routeVersion.findMany({
    where: { routeId },
    select: { version: true, rolledBackFrom: true, retries: true, cacheEnabled: true, authorId: true, comment: true },
    orderBy: { version: "asc" },
  });
const auditOf = (routeId: string) =>
  db.auditEvent.findMany({
    where: { targetType: "route", targetId: routeId },
    select: { action: true, actorId: true, details: true },
    orderBy: { id: "asc" },
  });

beforeAll(async () => {
  [admin, finance, viewer] = await Promise.all([createActor("ADMIN"), createActor("FINANCE"), createActor("VIEWER")]);
  primary = await seedModel();
  backup = await seedModel();
});

describe("creating a route", () => {
  test("stores the name and version 1 with its settings, audited in the same change", async () => {
    const name = `chat-${suffix()}`;
    const result = await executeAction(createRouteSpec, admin, {
      name,
      description: "default chat",
      settings: JSON.stringify({
        ...fallback(
          target(primary, { params: { temperature: 0.2, max_tokens: 300 }, timeoutMs: 8000 }),
          target(backup),
        ),
        retries: 2,
        cacheEnabled: true,
        cacheTtlSeconds: 120,
      }),
    });
    expect(result).toMatchObject({ ok: true, data: { version: 1 } });
    const routeId = result.data!.routeId;
    const route = await getRoute(routeId);
    expect(route).toMatchObject({ name, description: "default chat", enabled: true, archivedAt: null });
    expect(route!.current).toMatchObject({
      version: 1,
      authorId: admin.id,
      settings: {
        strategy: "FALLBACK",
        retries: 2,
        deadlineMs: 60_000,
        cacheEnabled: true,
        cacheTtlSeconds: 120,
        groups: [
          {
            targets: [
              { ...target(primary), weight: 1, params: { temperature: 0.2, max_tokens: 300 }, timeoutMs: 8000 },
              { ...target(backup), weight: 1, params: {} },
            ],
          },
        ],
      },
    });
    const audit = await auditOf(routeId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "route.created", actorId: admin.id, details: { name, version: 1 } });
  });

  test("refuses a name another route has, as a field error, and writes nothing", async () => {
    const routeId = await createRoute();
    const { name } = (await getRoute(routeId))!;
    const before = await dbFingerprint();
    const result = await executeAction(createRouteSpec, admin, {
      name,
      settings: JSON.stringify(fallback(target(backup))),
    });
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.name?.[0]).toMatch(/already exists/);
    expect(await dbFingerprint()).toBe(before);
  });
});

describe("validation of a route's targets", () => {
  const refusal = async (settings: Record<string, unknown>, name = `chat-${suffix()}`) => {
    const before = await dbFingerprint();
    const result = await executeAction(createRouteSpec, admin, { name, settings: JSON.stringify(settings) });
    expect(result.ok).toBe(false);
    expect(await dbFingerprint()).toBe(before);
    return result.fieldErrors ?? {};
  };

  test("a disabled model, a disabled provider and an archived provider are each named on their target", async () => {
    const disabledModel = await seedModel({ modelEnabled: false });
    const disabledProvider = await seedModel({ providerEnabled: false });
    const archived = await seedModel({ archived: true });
    const errors = await refusal(
      fallback(target(primary), target(disabledModel), target(disabledProvider), target(archived)),
    );
    expect(errors["settings.groups.0.targets.0"]).toBeUndefined();
    expect(errors["settings.groups.0.targets.1"]).toEqual([
      expect.stringMatching(new RegExp(`^Target 2 \\(.+ / ${disabledModel.apiModelId}\\): the model is disabled`)),
    ]);
    expect(errors["settings.groups.0.targets.2"]?.[0]).toMatch(/^Target 3 .*the provider is disabled/);
    expect(errors["settings.groups.0.targets.3"]?.[0]).toMatch(/^Target 4 .*the provider is archived/);
  });

  test("a model that does not exist, or belongs to another provider, is refused", async () => {
    const errors = await refusal(
      fallback(
        { providerId: primary.providerId, modelId: randomUUID() },
        { providerId: primary.providerId, modelId: backup.modelId },
      ),
    );
    expect(errors["settings.groups.0.targets.0"]?.[0]).toMatch(/no longer exists/);
    expect(errors["settings.groups.0.targets.1"]?.[0]).toMatch(/no longer exists/);
  });

  test("weights must be positive whole numbers", async () => {
    for (const weight of [0, -2, 1.5]) {
      const errors = await refusal({
        strategy: "LOAD_BALANCE",
        groups: [{ targets: [target(primary, { weight }), target(backup)] }],
      });
      expect(Object.keys(errors)).toEqual(["settings.groups.0.targets.0.weight"]);
    }
  });

  test("the strategy's shape: one group for fallback, and a target only once", async () => {
    const twoGroups = await refusal({
      strategy: "FALLBACK",
      groups: [{ targets: [target(primary)] }, { targets: [target(backup)] }],
    });
    expect(twoGroups["settings.groups"]).toEqual([
      "Fallback and load-balance routes have exactly one group of targets.",
    ]);
    const twice = await refusal({
      strategy: "FALLBACK_GROUPS",
      groups: [{ targets: [target(primary)] }, { targets: [target(primary, { weight: 2 })] }],
    });
    expect(twice["settings.groups"]).toEqual(["A target may appear only once in a route."]);
  });

  test("a route may not be named after one of its own targets (it would point at itself)", async () => {
    const errors = await refusal(fallback(target(backup), target(primary)), `${primary.slug}/${primary.apiModelId}`);
    expect(errors.name?.[0]).toMatch(/cannot point at itself/);
    expect(errors["settings.groups.0.targets.1"]?.[0]).toMatch(/^Target 2 .*a route cannot point at itself/);
    // Another provider's model of the same id is not this route's target: the name is fine.
    const ok = await executeAction(createRouteSpec, admin, {
      name: `${primary.slug}/${primary.apiModelId}`,
      settings: JSON.stringify(fallback(target(backup))),
    });
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
  });

  test("settings that are not JSON get a message, not a crash", async () => {
    const result = await executeAction(createRouteSpec, admin, { name: `chat-${suffix()}`, settings: "{not json" });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { settings: [expect.stringMatching(/could not be read/)] },
    });
  });
});

describe("saving a new version", () => {
  test("appends versions 2 and 3, each based on the one before, audited with what changed", async () => {
    const routeId = await createRoute();
    const v2 = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify({ ...fallback(target(primary), target(backup)), retries: 3 }),
      comment: "more retries",
    });
    expect(v2).toMatchObject({ ok: true, data: { version: 2, changedFields: ["retries"] } });
    const v3 = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: 2,
      settings: { ...fallback(target(backup), target(primary)), retries: 3, cacheEnabled: true },
    });
    expect(v3).toMatchObject({ ok: true, data: { version: 3, changedFields: ["targets", "cacheEnabled"] } });
    expect((await versionsOf(routeId)).map((row) => [row.version, row.retries, row.cacheEnabled])).toEqual([
      [1, 1, false],
      [2, 3, false],
      [3, 3, true],
    ]);
    const audit = await auditOf(routeId);
    expect(audit.map((event) => event.action)).toEqual(["route.created", "route.version_saved", "route.version_saved"]);
    expect(audit[1]!.details).toMatchObject({
      version: 2,
      basedOn: 1,
      changedFields: ["retries"],
      changes: { retries: { before: "1", after: "3" } },
      comment: "more retries",
    });
    const history = await listRouteVersions(routeId, await loadTargetLabeler());
    expect(history.versions.map((version) => [version.version, version.authorEmail])).toEqual([
      [3, admin.email],
      [2, admin.email],
      [1, admin.email],
    ]);
    expect(history.versions[0]!.changes.map((change) => change.field)).toEqual(["targets", "cacheEnabled"]);
  });

  test("a save based on a stale version is refused with who changed it and when; nothing is lost or written", async () => {
    const routeId = await createRoute();
    const first = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify({ ...fallback(target(primary), target(backup)), retries: 4 }),
    });
    expect(first.ok).toBe(true);
    const before = await dbFingerprint();
    const stale = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify({ ...fallback(target(primary), target(backup)), deadlineMs: 20_000 }),
    });
    expect(stale.ok).toBe(false);
    expect(stale.message).toMatch(
      new RegExp(
        `^Changed by ${admin.email} at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(version 2\\) — reload`,
      ),
    );
    expect(await dbFingerprint()).toBe(before);
    expect((await versionsOf(routeId)).map((row) => row.retries)).toEqual([1, 4]);
  });

  test("of several concurrent saves from the same base exactly one wins", async () => {
    const routeId = await createRoute();
    const results = await Promise.all(
      [2, 3, 4, 5].map((retries) =>
        executeAction(saveRouteVersionSpec, admin, {
          routeId,
          baseVersion: "1",
          settings: JSON.stringify({ ...fallback(target(primary), target(backup)), retries }),
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).every((result) => /^Changed by/.test(result.message ?? ""))).toBe(
      true,
    );
    expect((await versionsOf(routeId)).map((row) => row.version)).toEqual([1, 2]);
  });

  test("saving the settings already in force is refused as nothing to save", async () => {
    const routeId = await createRoute();
    const result = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify(fallback(target(primary), target(backup))),
    });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^Nothing to save/) });
  });

  test("a new version's targets are checked like a new route's", async () => {
    const routeId = await createRoute();
    const disabled = await seedModel({ modelEnabled: false });
    const result = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify(fallback(target(primary), target(disabled))),
    });
    expect(result.fieldErrors?.["settings.groups.0.targets.1"]?.[0]).toMatch(/the model is disabled/);
    expect(await versionsOf(routeId)).toHaveLength(1);
  });
});

describe("rolling back", () => {
  test("copies an old version's settings into a new version with rolled_back_from, audited", async () => {
    const routeId = await createRoute();
    await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify({ ...fallback(target(backup)), retries: 5, cacheEnabled: true }),
    });
    const result = await executeAction(rollbackRouteSpec, admin, { routeId, baseVersion: "2", version: "1" });
    expect(result).toMatchObject({ ok: true, data: { version: 3, restored: 1 } });
    const versions = await versionsOf(routeId);
    expect(
      versions.map((row) => [row.version, row.rolledBackFrom, row.retries, row.cacheEnabled, row.comment]),
    ).toEqual([
      [1, null, 1, false, "first"],
      [2, null, 5, true, ""],
      [3, 1, 1, false, "Rolled back to version 1"],
    ]);
    const route = await getRoute(routeId);
    expect(route!.current!.settings.groups).toEqual([
      {
        targets: [
          { ...target(primary), weight: 1, params: {} },
          { ...target(backup), weight: 1, params: {} },
        ],
      },
    ]);
    const audit = (await auditOf(routeId)).at(-1)!;
    expect(audit).toMatchObject({
      action: "route.rolled_back",
      actorId: admin.id,
      details: { version: 3, restoredVersion: 1, basedOn: 2, changedFields: ["targets", "retries", "cacheEnabled"] },
    });
  });

  test("is refused from a stale base, for the version in force, and when the old targets can no longer be used", async () => {
    const doomed = await seedModel();
    const routeId = await createRoute(fallback(target(doomed)));
    await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify(fallback(target(primary))),
    });
    const stale = await executeAction(rollbackRouteSpec, admin, { routeId, baseVersion: "1", version: "1" });
    expect(stale.message).toMatch(/^Changed by/);
    const same = await executeAction(rollbackRouteSpec, admin, { routeId, baseVersion: "2", version: "2" });
    expect(same.message).toBe("Version 2's settings are already in force.");
    await db.model.update({ where: { id: doomed.modelId }, data: { enabled: false } });
    const gone = await executeAction(rollbackRouteSpec, admin, { routeId, baseVersion: "2", version: "1" });
    expect(gone.message).toMatch(/^Version 1 cannot be restored: Target 1 .*the model is disabled/);
    expect(await versionsOf(routeId)).toHaveLength(2);
  });
});

describe("enabling, disabling and archiving", () => {
  test("each is audited; an archived route's settings can no longer change", async () => {
    const routeId = await createRoute();
    expect((await executeAction(setRouteEnabledSpec, admin, { routeId, enabled: "false" })).ok).toBe(true);
    expect((await getRoute(routeId))!.enabled).toBe(false);
    const again = await executeAction(setRouteEnabledSpec, admin, { routeId, enabled: "false" });
    expect(again.message).toBe("This route is already disabled.");
    expect((await executeAction(archiveRouteSpec, admin, { routeId, confirm: "on" })).ok).toBe(true);
    const archived = await getRoute(routeId);
    expect(archived!.archivedAt).toBeInstanceOf(Date);
    const save = await executeAction(saveRouteVersionSpec, admin, {
      routeId,
      baseVersion: "1",
      settings: JSON.stringify({ ...fallback(target(primary)), retries: 2 }),
    });
    expect(save.message).toMatch(/archived/);
    expect((await auditOf(routeId)).map((event) => event.action)).toEqual([
      "route.created",
      "route.disabled",
      "route.archived",
    ]);
  });
});

describe("gateway keys may name routes", () => {
  test("a live route's name is accepted in a key's allowed models; an unknown name is not", async () => {
    const routeId = await createRoute();
    const { name } = (await getRoute(routeId))!;
    const team = await db.team.create({ data: { name: `routes-team-${suffix()}` }, select: { id: true } });
    const ok = await executeAction(createGatewayKeySpec, admin, {
      name: `k-${suffix()}`,
      teamId: team.id,
      allowedModels: `${name}\n${primary.apiModelId}`,
    });
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
    const unknown = await executeAction(createGatewayKeySpec, admin, {
      name: `k-${suffix()}`,
      teamId: team.id,
      allowedModels: `${name}-nope`,
    });
    expect(unknown.fieldErrors?.allowedModels?.[0]).toMatch(/or a route/);
  });
});

describe("roles", () => {
  test("FINANCE and VIEWER are refused every route action and the database is unchanged", async () => {
    const routeId = await createRoute();
    const inputs: Record<string, unknown> = {
      "routes.create": { name: `chat-${suffix()}`, settings: JSON.stringify(fallback(target(primary))) },
      "routes.saveVersion": { routeId, baseVersion: "1", settings: JSON.stringify(fallback(target(primary))) },
      "routes.rollback": { routeId, baseVersion: "1", version: "1" },
      "routes.setEnabled": { routeId, enabled: "false" },
      "routes.archive": { routeId, confirm: "on" },
    };
    const before = await dbFingerprint();
    for (const actor of [finance, viewer])
      for (const spec of routeActionSpecs as readonly AnySpec[]) {
        const result = await executeAction(spec, actor, inputs[spec.name]);
        expect(result, `${actor.role} ${spec.name}`).toMatchObject({
          ok: false,
          message: "Your role does not allow this action.",
        });
      }
    expect(await dbFingerprint()).toBe(before);
  });
});
