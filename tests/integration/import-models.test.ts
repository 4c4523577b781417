import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { importModelsSpec, listImportableModelsSpec } from "@/lib/test-calls/action-specs";
import type { ImportableModel } from "@/lib/test-calls/import-models";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { seedProvider } from "./test-calls-support";

let fake: FakeProvider;
let admin: Actor;
beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
});
afterAll(async () => {
  await fake.close();
});

const modelIdsOf = async (providerId: string) =>
  (await db.model.findMany({ where: { providerId }, select: { modelId: true }, orderBy: { modelId: "asc" } })).map(
    (m) => m.modelId,
  );

describe("import models", () => {
  test.each(["openai", "anthropic", "google", "ollama"])(
    "%s: lists the provider's models, marking those already in the catalog",
    async (kind) => {
      const seeded = await seedProvider(admin, fake.url, kind, { apiKey: kind === "ollama" ? null : undefined });
      const result = await executeAction(listImportableModelsSpec, admin, { providerId: seeded.providerId });
      expect(result.ok, result.message).toBe(true);
      const models = (result.data as { models: ImportableModel[] }).models;
      const suffix = kind === "ollama" ? ":latest" : "";
      expect(models.map((m) => [m.id, m.present])).toEqual([
        [`fake-large${suffix}`, false],
        [`fake-small${suffix}`, true],
      ]);
      if (kind === "openai") expect(models[0]?.contextWindow).toBe(128000);
    },
  );

  test("adds the picked models the catalog lacks in one audited transaction and skips present ones", async () => {
    const seeded = await seedProvider(admin, fake.url, "anthropic");
    const result = await executeAction(importModelsSpec, admin, {
      providerId: seeded.providerId,
      modelIds: ["fake-small", "fake-large"],
    });
    expect(result.ok, result.message).toBe(true);
    expect(result.data).toEqual({ imported: ["fake-large"], skipped: ["fake-small"] });
    expect(await modelIdsOf(seeded.providerId)).toEqual(["fake-large", "fake-small"]);
    const imported = await db.model.findFirstOrThrow({
      where: { providerId: seeded.providerId, modelId: "fake-large" },
      select: { displayName: true, contextWindow: true, prices: true },
    });
    // Anthropic's list names models but gives no context window.
    expect(imported).toMatchObject({ displayName: "Fake Large", contextWindow: null, prices: [] });
    const audit = await db.auditEvent.findMany({
      where: { targetId: seeded.providerId, action: "models.imported" },
      select: { details: true, actorId: true },
    });
    expect(audit).toEqual([{ actorId: admin.id, details: { imported: ["fake-large"], skipped: ["fake-small"] } }]);
  });

  test("form data with one ticked box (a string) works too", async () => {
    const seeded = await seedProvider(admin, fake.url, "anthropic");
    const form = new FormData();
    form.set("providerId", seeded.providerId);
    form.append("modelIds[]", "fake-large");
    const result = await executeAction(importModelsSpec, admin, form);
    expect(result.data).toEqual({ imported: ["fake-large"], skipped: [] });
  });

  test("an id the provider does not list is refused and nothing is added", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const result = await executeAction(importModelsSpec, admin, {
      providerId: seeded.providerId,
      modelIds: ["fake-large", "made-up-model"],
    });
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.modelIds?.[0]).toContain("made-up-model");
    expect(await modelIdsOf(seeded.providerId)).toEqual(["fake-small"]);
  });

  test("nothing picked is a field error", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const result = await executeAction(importModelsSpec, admin, { providerId: seeded.providerId });
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.modelIds).toBeDefined();
  });

  test("a refused key is reported with its class and without the key", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { apiKey: "sk-refused-by-the-fake-1" });
    const result = await executeAction(listImportableModelsSpec, admin, { providerId: seeded.providerId });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("invalid_key");
    expect(JSON.stringify(result)).not.toContain(seeded.apiKey);
  });

  test("an archived provider cannot import", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    await db.provider.update({ where: { id: seeded.providerId }, data: { archivedAt: new Date(), enabled: false } });
    const result = await executeAction(importModelsSpec, admin, {
      providerId: seeded.providerId,
      modelIds: ["fake-large"],
    });
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/archived/);
    expect(await modelIdsOf(seeded.providerId)).toEqual(["fake-small"]);
  });
});
