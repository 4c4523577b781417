import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/actions/result";
import type { Actor } from "@/lib/auth/session";
import type { RoleName } from "@/lib/auth/roles";
import {
  addPriceSpec,
  createModelSpec,
  createProviderSpec,
  deleteModelSpec,
  deleteProviderSpec,
  providerActionSpecs,
  restoreProviderSpec,
  setModelEnabledSpec,
  setProviderEnabledSpec,
  updateModelSpec,
  updateProviderSpec,
} from "@/lib/providers/action-specs";
import { createActor } from "../support/actors";

const suffix = () => randomUUID().slice(0, 8);

let admin: Actor;
const actors: Partial<Record<RoleName, Actor>> = {};

type Fixture = { providerId: string; id: string };

async function fixture({ archived = false } = {}): Promise<Fixture> {
  const provider = await executeAction(createProviderSpec, admin, {
    name: `Roles ${suffix()}`,
    kind: "mistral",
    tags: "roles",
  });
  const providerId = provider.data!.id;
  const model = await executeAction(createModelSpec, admin, {
    providerId,
    modelId: `m-${suffix()}`,
    type: "GENERAL",
    enabled: "on",
    inputPrice: "1",
    outputPrice: "2",
    effectiveFrom: "2026-01-01",
  });
  if (archived) {
    await db.providerKey.create({
      data: {
        providerId,
        label: "old",
        ciphertext: "v1:test",
        masterKeyId: "test1",
        last4: "abcd",
        fingerprint: suffix(),
        status: "REVOKED",
      },
    });
    await executeAction(deleteProviderSpec, admin, { providerId });
  }
  return { providerId, id: model.data!.id };
}

type Case = {
  spec: { name: string };
  archived?: boolean;
  run: (actor: Actor | null, f: Fixture) => Promise<ActionResult<unknown>>;
};

// One valid request per mutation: the same input succeeds for ADMIN and is refused for the rest.
const CASES: Case[] = [
  {
    spec: createProviderSpec,
    run: (actor) =>
      executeAction(createProviderSpec, actor, { name: `Roles new ${suffix()}`, kind: "openai", importDefaults: "on" }),
  },
  {
    spec: updateProviderSpec,
    run: (actor, f) =>
      executeAction(updateProviderSpec, actor, {
        providerId: f.providerId,
        name: `Renamed ${suffix()}`,
        slug: `renamed-${suffix()}`,
        baseUrl: "https://proxy.example.com/v1",
        tags: "x",
      }),
  },
  {
    spec: setProviderEnabledSpec,
    run: (actor, f) => executeAction(setProviderEnabledSpec, actor, { providerId: f.providerId, enabled: "false" }),
  },
  {
    spec: deleteProviderSpec,
    run: (actor, f) => executeAction(deleteProviderSpec, actor, { providerId: f.providerId }),
  },
  {
    spec: restoreProviderSpec,
    archived: true,
    run: (actor, f) => executeAction(restoreProviderSpec, actor, { providerId: f.providerId }),
  },
  {
    spec: createModelSpec,
    run: (actor, f) =>
      executeAction(createModelSpec, actor, {
        providerId: f.providerId,
        modelId: `new-${suffix()}`,
        type: "EMBEDDING",
        inputPrice: "0.1",
        outputPrice: "0",
        effectiveFrom: "2026-02-01",
      }),
  },
  {
    spec: updateModelSpec,
    run: (actor, f) =>
      executeAction(updateModelSpec, actor, { ...f, modelId: `renamed-${suffix()}`, type: "DOMAIN", domain: "Code" }),
  },
  {
    spec: setModelEnabledSpec,
    run: (actor, f) => executeAction(setModelEnabledSpec, actor, { ...f, enabled: "false" }),
  },
  { spec: deleteModelSpec, run: (actor, f) => executeAction(deleteModelSpec, actor, f) },
  {
    spec: addPriceSpec,
    run: (actor, f) =>
      executeAction(addPriceSpec, actor, { ...f, inputPrice: "0.5", outputPrice: "1.5", effectiveFrom: "2026-06-01" }),
  },
];

// Every row a provider mutation could touch, with updated_at, so a refused call provably changed nothing.
async function dbState() {
  const [providers, models, prices, audit] = await Promise.all([
    db.provider.findMany({
      orderBy: { id: "asc" },
      select: { id: true, name: true, baseUrl: true, tags: true, enabled: true, archivedAt: true, updatedAt: true },
    }),
    db.model.findMany({
      orderBy: { id: "asc" },
      select: { id: true, modelId: true, type: true, enabled: true, updatedAt: true },
    }),
    db.modelPrice.findMany({ orderBy: { id: "asc" }, select: { id: true, inputPerMTok: true, effectiveFrom: true } }),
    db.auditEvent.count(),
  ]);
  return JSON.stringify({ providers, models, prices, audit });
}

beforeAll(async () => {
  admin = await createActor("ADMIN");
  actors.FINANCE = await createActor("FINANCE");
  actors.VIEWER = await createActor("VIEWER");
});

describe("provider, model and price mutations by role", () => {
  it("covers every exported spec", () => {
    expect(CASES.map((c) => c.spec.name).sort()).toEqual(providerActionSpecs.map((spec) => spec.name).sort());
  });

  describe.each(CASES.map((c) => [c.spec.name, c] as const))("%s", (_name, testCase) => {
    it.each(["FINANCE", "VIEWER", "anonymous"] as const)("is refused for %s and changes nothing", async (role) => {
      const f = await fixture({ archived: testCase.archived });
      const before = await dbState();
      const result = await testCase.run(role === "anonymous" ? null : actors[role]!, f);
      expect(result.ok).toBe(false);
      expect(result.message).toBe(
        role === "anonymous" ? "Your session has ended. Sign in again." : "Your role does not allow this action.",
      );
      expect(result.data).toBeUndefined();
      expect(await dbState()).toBe(before);
    });

    it("succeeds for ADMIN", async () => {
      const f = await fixture({ archived: testCase.archived });
      const before = await dbState();
      const result = await testCase.run(admin, f);
      expect(result).toMatchObject({ ok: true });
      expect(await dbState()).not.toBe(before);
    });
  });
});

// Placeholder (unsealed) keys exist only for the delete policy; later files check that every
// stored secret decrypts.
afterAll(async () => {
  await db.providerKey.deleteMany({ where: { ciphertext: "v1:test" } });
});
