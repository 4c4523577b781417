import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { configActionSpecs, rollbackConfigSpec, saveConfigSpec } from "@/lib/config/action-specs";
import { createActor } from "../support/actors";

// Every configuration spec × every role: only ADMIN may write, and a refusal leaves no row behind.

let admin: Actor;
let finance: Actor;
let viewer: Actor;
let providerId: string;

beforeAll(async () => {
  [admin, finance, viewer] = await Promise.all([createActor("ADMIN"), createActor("FINANCE"), createActor("VIEWER")]);
  const provider = await db.provider.create({
    data: { name: `cfg-roles-${randomUUID().slice(0, 8)}`, kind: "openai", baseUrl: "http://127.0.0.1:9/v1" },
    select: { id: true },
  });
  providerId = provider.id;
  await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 0, temperature: "0.1" });
  await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 1, temperature: "0.2" });
});

/** A valid input for each spec against the provider as it is now (the newest version is the base). */
async function validInput(spec: ConfigSpec): Promise<Record<string, unknown>> {
  const latest = await db.configVersion.findFirstOrThrow({
    where: { providerId, modelId: null },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  if (spec === rollbackConfigSpec) return { providerId, baseVersion: latest.version, version: latest.version - 1 };
  return { providerId, baseVersion: latest.version, temperature: String(0.3 + latest.version / 10) };
}

type ConfigSpec = (typeof configActionSpecs)[number];
// The specs differ in input type; executeAction parses unknown input, which is the point here.
const run = (spec: ConfigSpec, actor: Actor | null, input: unknown) =>
  executeAction(spec as typeof saveConfigSpec, actor, input);

const counts = async () => ({
  versions: await db.configVersion.count({ where: { providerId } }),
  audit: await db.auditEvent.count({ where: { action: { startsWith: "config." } } }),
});

describe.each(configActionSpecs.map((spec) => [spec.name, spec] as const))("%s", (_name, spec) => {
  it.each([
    ["FINANCE", (): Actor | null => finance, "Your role does not allow this action."],
    ["VIEWER", (): Actor | null => viewer, "Your role does not allow this action."],
    ["anonymous", (): Actor | null => null, "Your session has ended. Sign in again."],
  ] as const)("refuses %s and writes nothing", async (_role, actor, message) => {
    const before = await counts();
    const result = await run(spec, actor(), await validInput(spec));
    expect(result).toMatchObject({ ok: false, message });
    expect(await counts()).toEqual(before);
  });

  it("lets ADMIN through with one new version and one audit event", async () => {
    const before = await counts();
    const result = await run(spec, admin, await validInput(spec));
    expect(result.ok).toBe(true);
    expect(await counts()).toEqual({ versions: before.versions + 1, audit: before.audit + 1 });
  });

  it("answers bad input with ok:false and never throws", async () => {
    const form = new FormData();
    form.set("providerId", providerId);
    form.set("baseVersion", "NaN");
    form.set("version", "-1");
    form.set("temperature", "hot");
    const junk: unknown[] = [
      undefined,
      null,
      "text",
      42,
      [],
      {},
      form,
      { providerId: "'; DROP TABLE config_versions; --", baseVersion: 0 },
      { providerId: randomUUID(), baseVersion: 0, version: 1, temperature: "0.5" },
      { providerId, modelId: randomUUID(), baseVersion: 0, version: 1, temperature: "0.5" },
      { providerId, baseVersion: 99, version: 1, temperature: "0.5" },
      { providerId, baseVersion: 1e12, version: 1e12, temperature: "1".repeat(39) },
      { providerId, baseVersion: { $gt: 0 }, version: [1], monthlyBudgetUsd: 12.5, comment: 7 },
    ];
    const before = await counts();
    for (const input of junk) {
      const result = await run(spec, admin, input);
      expect(result.ok, JSON.stringify(input ?? "undefined")).toBe(false);
      expect(result.message).toEqual(expect.any(String));
      // An unexpected error would be logged and answered generically: every case here is expected.
      expect(result.message).not.toMatch(/Something went wrong/);
    }
    expect(await counts()).toEqual(before);
  });
});
