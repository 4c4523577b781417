import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import {
  createGatewayKeySpec,
  gatewayKeyActionSpecs,
  revokeGatewayKeySpec,
  rotateGatewayKeySpec,
  updateGatewayKeySpec,
} from "@/lib/gateway-keys/action-specs";
import { hashGatewayKey, looksLikeGatewayKey } from "@/lib/gateway-keys/key-material";
import { callableModels, getGatewayKey, listGatewayKeys, listTeams } from "@/lib/gateway-keys/queries";
import { createTeamSpec, deleteTeamSpec, teamActionSpecs, updateTeamSpec } from "@/lib/gateway-keys/team-action-specs";
import type { AnySpec } from "../support/action-spec-inventory";
import { createActor } from "../support/actors";
import { dbFingerprint } from "../support/db-fingerprint";

const suffix = () => randomUUID().slice(0, 8);
let admin: Actor;
let finance: Actor;
let viewer: Actor;
let provider: { id: string; slug: string };
let modelId: string;

async function createTeam(extra: Record<string, unknown> = {}) {
  const result = await executeAction(createTeamSpec, admin, { name: `team-${suffix()}`, ...extra });
  expect(result.ok, result.message).toBe(true);
  return result.data!;
}

async function createKey(teamId: string, extra: Record<string, unknown> = {}) {
  const result = await executeAction(createGatewayKeySpec, admin, { name: `key-${suffix()}`, teamId, ...extra });
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return result.data!;
}

const rowOf = (id: string) => db.gatewayKey.findUniqueOrThrow({ where: { id } });
const auditOf = (targetId: string) =>
  db.auditEvent.findMany({ where: { targetType: "gateway_key", targetId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  admin = await createActor("ADMIN");
  finance = await createActor("FINANCE");
  viewer = await createActor("VIEWER");
  provider = await db.provider.create({
    data: { name: `Gateway Keys ${suffix()}`, kind: "openai", baseUrl: "https://api.gw-keys.example/v1" },
    select: { id: true, slug: true },
  });
  modelId = `gw-model-${suffix()}`;
  await db.model.create({ data: { providerId: provider.id, modelId, displayName: "GW model" } });
});

describe("creating a key", () => {
  test("returns the key once and stores only its SHA-256 and last 4; no audit row holds either", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id, {
      allowedModels: `${provider.slug}/${modelId}\n${modelId}`,
      monthlyBudgetUsd: "25.5",
      rpmLimit: "60",
      tpmLimit: "10000",
      maxParallel: "2",
      expiresAt: "2099-06-30",
      allowedIps: "10.0.0.0/8, 2001:DB8::/32",
    });
    expect(looksLikeGatewayKey(issued.key)).toBe(true);
    const row = await rowOf(issued.id);
    expect(row.keyHash).toBe(hashGatewayKey(issued.key));
    expect(row.last4).toBe(issued.key.slice(-4));
    expect(JSON.stringify(row)).not.toContain(issued.key);
    expect(row).toMatchObject({
      teamId: team.id,
      allowedModels: [`${provider.slug}/${modelId}`, modelId],
      rpmLimit: 60,
      tpmLimit: 10000,
      maxParallel: 2,
      allowedIps: ["10.0.0.0/8", "2001:db8::/32"],
      status: "ACTIVE",
      createdById: admin.id,
      expiresAt: new Date("2099-06-30T23:59:59.999Z"),
    });
    expect(row.monthlyBudgetUsd?.toFixed(2)).toBe("25.50");
    const audit = await auditOf(issued.id);
    expect(audit.map((event) => event.action)).toEqual(["gateway_key.created"]);
    const details = JSON.stringify(audit.map((event) => event.details));
    expect(details).not.toContain(issued.key);
    expect(details).not.toContain(row.keyHash);
    expect(details).toContain(row.last4);
  });

  test("what the pages read carries no hash, and the key appears in no stored row at all", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id);
    const view = await getGatewayKey(issued.id);
    expect(view).not.toBeNull();
    expect(Object.keys(view!)).not.toContain("keyHash");
    const hash = hashGatewayKey(issued.key);
    for (const listed of await listGatewayKeys()) expect(JSON.stringify(listed)).not.toContain(hash);
    // Every table, every column, as text.
    const [found] = await db.$queryRawUnsafe<{ hits: number }[]>(
      `SELECT count(*)::int AS hits FROM (
         SELECT to_jsonb(a)::text AS t FROM audit_events a UNION ALL SELECT to_jsonb(k)::text FROM gateway_keys k
       ) x WHERE strpos(t, $1) > 0`,
      issued.key,
    );
    expect(found!.hits).toBe(0);
  });

  test("an unknown model, a bad range, a past expiry or a missing team: field errors and no row", async () => {
    const team = await createTeam();
    const before = await db.gatewayKey.count();
    const audits = await db.auditEvent.count();
    const cases: [Record<string, unknown>, string][] = [
      [{ teamId: team.id, allowedModels: `${modelId}\nno-such-model` }, "allowedModels"],
      [{ teamId: team.id, allowedModels: `other-slug/${modelId}` }, "allowedModels"],
      [{ teamId: team.id, allowedIps: "10.0.0.1/8" }, "allowedIps"],
      [{ teamId: team.id, expiresAt: "2001-01-01" }, "expiresAt"],
      [{ teamId: team.id, rpmLimit: "0" }, "rpmLimit"],
      [{ teamId: randomUUID() }, "teamId"],
    ];
    for (const [input, field] of cases) {
      const result = await executeAction(createGatewayKeySpec, admin, { name: "bad", ...input });
      expect(result.ok, JSON.stringify(input)).toBe(false);
      expect(Object.keys(result.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    const unknown = await executeAction(createGatewayKeySpec, admin, {
      name: "bad",
      teamId: team.id,
      allowedModels: "no-such-model",
    });
    expect(unknown.fieldErrors?.allowedModels?.[0]).toContain("no-such-model");
    expect(await db.gatewayKey.count()).toBe(before);
    expect(await db.auditEvent.count()).toBe(audits);
  });

  test("a model of a disabled provider, or a disabled model, is not callable and cannot be allowed", async () => {
    const team = await createTeam();
    const off = await db.provider.create({
      data: { name: `Off ${suffix()}`, kind: "openai", baseUrl: "https://off.example/v1", enabled: false },
      select: { id: true, slug: true },
    });
    await db.model.create({ data: { providerId: off.id, modelId: `off-model-${suffix()}`, displayName: "Off" } });
    const disabled = await db.model.create({
      data: { providerId: provider.id, modelId: `disabled-${suffix()}`, displayName: "Disabled", enabled: false },
      select: { modelId: true },
    });
    const names = (await callableModels()).map((model) => `${model.providerSlug}/${model.modelId}`);
    expect(names).toContain(`${provider.slug}/${modelId}`);
    expect(names.filter((name) => name.startsWith(`${off.slug}/`))).toEqual([]);
    expect(names).not.toContain(`${provider.slug}/${disabled.modelId}`);
    const result = await executeAction(createGatewayKeySpec, admin, {
      name: "k",
      teamId: team.id,
      allowedModels: `${provider.slug}/${disabled.modelId}`,
    });
    expect(result.fieldErrors?.allowedModels).toHaveLength(1);
  });
});

describe("changing a key", () => {
  test("update changes limits, models, expiry and addresses, and moves updated_at", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id, { rpmLimit: "10" });
    const before = await rowOf(issued.id);
    const result = await executeAction(updateGatewayKeySpec, admin, {
      gatewayKeyId: issued.id,
      name: "renamed",
      teamId: team.id,
      allowedModels: modelId,
      rpmLimit: "",
      tpmLimit: "500",
      maxParallel: "1",
      monthlyBudgetUsd: "10",
      expiresAt: "2099-01-01",
      allowedIps: "192.0.2.1",
    });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const after = await rowOf(issued.id);
    expect(after).toMatchObject({
      name: "renamed",
      rpmLimit: null,
      tpmLimit: 500,
      maxParallel: 1,
      allowedModels: [modelId],
      allowedIps: ["192.0.2.1/32"],
      keyHash: before.keyHash,
    });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect((await auditOf(issued.id)).map((event) => event.action)).toEqual([
      "gateway_key.created",
      "gateway_key.updated",
    ]);
  });

  test("revoke is immediate, stamps revoked_at, moves updated_at, and a second revoke changes nothing", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id);
    const before = await rowOf(issued.id);
    const result = await executeAction(revokeGatewayKeySpec, admin, { gatewayKeyId: issued.id, confirm: "on" });
    expect(result).toMatchObject({ ok: true, data: { changed: true } });
    const after = await rowOf(issued.id);
    expect(after.status).toBe("REVOKED");
    expect(after.revokedAt).not.toBeNull();
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect((await getGatewayKey(issued.id))!.state.kind).toBe("revoked");
    const again = await executeAction(revokeGatewayKeySpec, admin, { gatewayKeyId: issued.id, confirm: "on" });
    expect(again).toMatchObject({ ok: true, data: { changed: false } });
    expect((await rowOf(issued.id)).updatedAt).toEqual(after.updatedAt);
    const edit = await executeAction(updateGatewayKeySpec, admin, {
      gatewayKeyId: issued.id,
      name: "x",
      teamId: team.id,
    });
    expect(edit).toMatchObject({ ok: false, message: expect.stringMatching(/revoked/) });
  });

  test("rotate issues a new key with the same settings and gives the old one its grace period", async () => {
    const team = await createTeam();
    const old = await createKey(team.id, {
      allowedModels: modelId,
      monthlyBudgetUsd: "40",
      rpmLimit: "30",
      tpmLimit: "3000",
      maxParallel: "3",
      allowedIps: "10.1.0.0/16",
      expiresAt: "2099-03-01",
    });
    const startedAt = Date.now();
    const result = await executeAction(rotateGatewayKeySpec, admin, { gatewayKeyId: old.id, grace: "24h" });
    const endedAt = Date.now();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const fresh = result.data!;
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.key).not.toBe(old.key);
    const [oldRow, newRow] = await Promise.all([rowOf(old.id), rowOf(fresh.id)]);
    expect(newRow.keyHash).toBe(hashGatewayKey(fresh.key));
    const settings = (row: typeof oldRow) => ({
      name: row.name,
      teamId: row.teamId,
      allowedModels: row.allowedModels,
      monthlyBudgetUsd: row.monthlyBudgetUsd?.toFixed(2),
      rpmLimit: row.rpmLimit,
      tpmLimit: row.tpmLimit,
      maxParallel: row.maxParallel,
      allowedIps: row.allowedIps,
      expiresAt: row.expiresAt,
    });
    expect(settings(newRow)).toEqual(settings(oldRow));
    expect(newRow).toMatchObject({ status: "ACTIVE", retiresAt: null, replacedById: null });
    expect(oldRow).toMatchObject({ status: "ACTIVE", replacedById: fresh.id });
    const day = 24 * 60 * 60 * 1000;
    expect(oldRow.retiresAt!.getTime()).toBeGreaterThanOrEqual(startedAt + day);
    expect(oldRow.retiresAt!.getTime()).toBeLessThanOrEqual(endedAt + day);
    expect((await getGatewayKey(old.id))!.state.kind).toBe("retiring");
    const audit = await auditOf(fresh.id);
    expect(audit.map((event) => event.action)).toEqual(["gateway_key.rotated"]);
    const details = JSON.stringify(audit.map((event) => event.details));
    expect(details).not.toContain(fresh.key);
    expect(details).not.toContain(newRow.keyHash);
    expect(details).toContain(old.key.slice(-4));
    // The old key has a successor now: rotating it again is refused, its successor can be rotated.
    const twice = await executeAction(rotateGatewayKeySpec, admin, { gatewayKeyId: old.id, grace: "1h" });
    expect(twice).toMatchObject({ ok: false, message: expect.stringMatching(/already rotated/) });
  });

  test("rotate with no grace revokes the old key at once; custom minutes are honoured", async () => {
    const team = await createTeam();
    const first = await createKey(team.id);
    const result = await executeAction(rotateGatewayKeySpec, admin, { gatewayKeyId: first.id, grace: "none" });
    expect(result.ok).toBe(true);
    const oldRow = await rowOf(first.id);
    expect(oldRow).toMatchObject({ status: "REVOKED", replacedById: result.data!.id });
    expect(oldRow.revokedAt).not.toBeNull();

    const startedAt = Date.now();
    const custom = await executeAction(rotateGatewayKeySpec, admin, {
      gatewayKeyId: result.data!.id,
      grace: "custom",
      graceMinutes: "90",
    });
    expect(custom.ok).toBe(true);
    const retiresAt = (await rowOf(result.data!.id)).retiresAt!.getTime();
    expect(retiresAt).toBeGreaterThanOrEqual(startedAt + 90 * 60_000);
    expect(retiresAt).toBeLessThanOrEqual(Date.now() + 90 * 60_000);
  });
});

describe("roles", () => {
  test("FINANCE and VIEWER are refused every gateway write and change nothing", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id);
    const inputs: Record<string, Record<string, unknown>> = {
      "teams.create": { name: `refused-${suffix()}` },
      "teams.update": { teamId: team.id, name: `refused-${suffix()}` },
      "teams.delete": { teamId: team.id },
      "gatewayKeys.create": { name: "refused", teamId: team.id },
      "gatewayKeys.update": { gatewayKeyId: issued.id, name: "refused", teamId: team.id },
      "gatewayKeys.revoke": { gatewayKeyId: issued.id, confirm: "on" },
      "gatewayKeys.rotate": { gatewayKeyId: issued.id, grace: "none" },
    };
    const specs = [...teamActionSpecs, ...gatewayKeyActionSpecs] as readonly AnySpec[];
    expect(specs.map((spec) => spec.name).sort()).toEqual(Object.keys(inputs).sort());
    for (const actor of [finance, viewer]) {
      for (const spec of specs) {
        const before = await dbFingerprint();
        const result = await executeAction(spec, actor, inputs[spec.name]);
        expect(result, `${spec.name} × ${actor.role}`).toMatchObject({
          ok: false,
          message: expect.stringMatching(/role does not allow/),
        });
        expect(await dbFingerprint(), `${spec.name} × ${actor.role}`).toBe(before);
      }
    }
  });
});

describe("teams", () => {
  test("names are unique (a field error), budgets kept to the cent", async () => {
    const team = await createTeam({ monthlyBudgetUsd: "1200.5" });
    const stored = await db.team.findUniqueOrThrow({ where: { id: team.id } });
    expect(stored.monthlyBudgetUsd?.toFixed(2)).toBe("1200.50");
    const duplicate = await executeAction(createTeamSpec, admin, { name: team.name });
    expect(duplicate.ok).toBe(false);
    expect(duplicate.fieldErrors?.name).toBeDefined();
    const other = await createTeam();
    const rename = await executeAction(updateTeamSpec, admin, { teamId: other.id, name: team.name });
    expect(rename.fieldErrors?.name).toBeDefined();
  });

  test("a team that owns keys (revoked ones too) cannot be deleted; an empty one can", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id);
    await executeAction(revokeGatewayKeySpec, admin, { gatewayKeyId: issued.id, confirm: "on" });
    const refused = await executeAction(deleteTeamSpec, admin, { teamId: team.id });
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/still owns 1 gateway key/) });
    expect(await db.team.count({ where: { id: team.id } })).toBe(1);

    const empty = await createTeam();
    const deleted = await executeAction(deleteTeamSpec, admin, { teamId: empty.id });
    expect(deleted.ok).toBe(true);
    expect(await db.team.count({ where: { id: empty.id } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { targetType: "team", targetId: empty.id } });
    expect(audit.map((event) => event.action).sort()).toEqual(["team.created", "team.deleted"]);
  });
});

describe("what the list pages read", () => {
  test("this UTC month's spend per key and team from spend_counters, to the cent, with unpriced counted", async () => {
    const team = await createTeam({ monthlyBudgetUsd: "100" });
    const issued = await createKey(team.id, { monthlyBudgetUsd: "5" });
    const insert = `INSERT INTO spend_counters (scope, month, cost_sum, unpriced_count) VALUES
      ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, $2::numeric, $3),
      ($1, (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date, 999, 9)`;
    await db.$executeRawUnsafe(insert, `key:${issued.id}`, "1.2349999999", 2);
    await db.$executeRawUnsafe(insert, `team:${team.id}`, "7.005", 0);
    const key = (await listGatewayKeys({ teamId: team.id }))[0]!;
    expect(key.spend).toEqual({ costUsd: "1.23", unpricedCount: 2 });
    expect(key.monthlyBudgetUsd).toBe("5.00");
    const listed = (await listTeams()).find((row) => row.id === team.id)!;
    expect(listed).toMatchObject({
      keyCount: 1,
      monthlyBudgetUsd: "100.00",
      spend: { costUsd: "7.01", unpricedCount: 0 },
    });
  });

  test("requests this minute: the window's count when it is the current minute, else 0", async () => {
    const team = await createTeam();
    const issued = await createKey(team.id, { rpmLimit: "100" });
    await db.$executeRawUnsafe(
      `INSERT INTO gateway_key_windows (gateway_key_id, window_start, requests) VALUES ($1::uuid, date_trunc('minute', clock_timestamp()) - interval '1 minute', 42)`,
      issued.id,
    );
    expect((await getGatewayKey(issued.id))!.requestsThisMinute).toBe(0);
    // The minute may turn between the write and the read: then the count is rightly 0, so try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [{ minute }] = await db
        .$queryRawUnsafe<{ minute: Date }[]>(
          `UPDATE gateway_key_windows SET window_start = date_trunc('minute', clock_timestamp()), requests = 7
         WHERE gateway_key_id = $1::uuid RETURNING window_start AS minute`,
          issued.id,
        )
        .then((rows) => rows as [{ minute: Date }]);
      const [key] = await listGatewayKeys({ teamId: team.id });
      const [{ now }] = (await db.$queryRawUnsafe<{ now: Date }[]>(
        `SELECT date_trunc('minute', clock_timestamp()) AS now`,
      )) as [{ now: Date }];
      if (now.getTime() !== minute.getTime()) continue;
      expect(key!.requestsThisMinute).toBe(7);
      return;
    }
    throw new Error("the minute turned on every attempt");
  });
});
