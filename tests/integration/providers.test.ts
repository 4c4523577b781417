import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import {
  addPriceSpec,
  createModelSpec,
  createProviderSpec,
  deleteModelSpec,
  deleteProviderSpec,
  restoreProviderSpec,
  setModelEnabledSpec,
  setProviderEnabledSpec,
  updateModelSpec,
  updateProviderSpec,
} from "@/lib/providers/action-specs";
import { DEFAULT_MODELS } from "@/lib/providers/default-models";
import { getModel, getProvider, listProviders } from "@/lib/providers/queries";
import { createActor } from "../support/actors";

const suffix = () => randomUUID().slice(0, 8);
const HALF_SAVED_MARKER = "half-saved-marker";

let admin: Actor;

async function newProvider(fields: Record<string, string> = {}) {
  const result = await executeAction(createProviderSpec, admin, {
    name: `Provider ${suffix()}`,
    kind: "openai",
    ...fields,
  });
  if (!result.ok || !result.data) throw new Error(`fixture failed: ${JSON.stringify(result)}`);
  return result.data.id;
}

async function newModel(providerId: string, fields: Record<string, string> = {}) {
  const result = await executeAction(createModelSpec, admin, {
    providerId,
    modelId: `model-${suffix()}`,
    type: "GENERAL",
    enabled: "on",
    ...fields,
  });
  if (!result.ok || !result.data) throw new Error(`fixture failed: ${JSON.stringify(result)}`);
  return result.data.id;
}

const addKey = (providerId: string, status: "ACTIVE" | "RETIRING" | "REVOKED" | "EXPIRED") =>
  db.providerKey.create({
    data: {
      providerId,
      label: "test",
      ciphertext: "v1:test",
      masterKeyId: "test1",
      last4: "abcd",
      fingerprint: suffix(),
      status,
    },
    select: { id: true },
  });

const auditFor = (targetId: string) =>
  db.auditEvent.findMany({
    where: { targetId },
    orderBy: { id: "asc" },
    select: { action: true, actorId: true, actorEmail: true, details: true },
  });

const counts = async () => ({
  providers: await db.provider.count(),
  models: await db.model.count(),
  prices: await db.modelPrice.count(),
  audit: await db.auditEvent.count(),
});

beforeAll(async () => {
  admin = await createActor("ADMIN");
  // Makes the audit write fail for one marked change, to prove the change rolls back with it.
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION providers_test_fail_audit() RETURNS trigger AS $$
    BEGIN IF NEW.details::text LIKE '%${HALF_SAVED_MARKER}%' THEN RAISE EXCEPTION 'audit refused for test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(
    `CREATE TRIGGER providers_test_fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION providers_test_fail_audit()`,
  );
});

afterAll(async () => {
  // The placeholder keys below only exist to exercise the delete policy; they are not sealed, and
  // the files after this one check that every stored secret decrypts.
  await db.providerKey.deleteMany({ where: { ciphertext: "v1:test" } });
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS providers_test_fail_audit ON audit_events`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS providers_test_fail_audit()`);
});

describe("creating and editing providers", () => {
  it("creates a provider with the catalog's base URL, imports default models with dated prices, and audits it", async () => {
    const name = `OpenAI ${suffix()}`;
    const result = await executeAction(createProviderSpec, admin, {
      name,
      kind: "openai",
      baseUrl: "",
      tags: "prod, EU, prod",
      region: "EU",
      importDefaults: "on",
    });
    expect(result).toMatchObject({ ok: true, data: { importedModels: DEFAULT_MODELS.openai.length } });
    const id = result.data!.id;
    expect(await getProvider(id)).toMatchObject({
      name,
      kind: "openai",
      baseUrl: "https://api.openai.com/v1",
      tags: ["prod", "EU"],
      region: "EU",
      enabled: true,
      archivedAt: null,
    });
    const gpt4o = await db.model.findFirstOrThrow({
      where: { providerId: id, modelId: "gpt-4o" },
      select: { prices: true },
    });
    expect(
      gpt4o.prices.map((p) => [
        p.inputPerMTok.toFixed(),
        p.outputPerMTok.toFixed(),
        p.cachedInputPerMTok?.toFixed(),
        p.effectiveFrom.toISOString(),
      ]),
    ).toEqual([["2.5", "10", "1.25", "2026-11-26T00:00:00.000Z"]]);
    const [event] = await auditFor(id);
    expect(event).toMatchObject({
      action: "provider.created",
      actorId: admin.id,
      actorEmail: admin.email,
      details: { after: { name, kind: "openai", tags: ["prod", "EU"] } },
    });
  });

  it("refuses a duplicate name in any letter case with a field error and adds nothing", async () => {
    const name = `Dup ${suffix()}`;
    await newProvider({ name });
    const before = await counts();
    const result = await executeAction(createProviderSpec, admin, {
      name: `  ${name.toUpperCase()} `,
      kind: "anthropic",
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { name: [expect.stringContaining("already exists")] },
      values: { name: `  ${name.toUpperCase()} ` },
    });
    expect(await counts()).toEqual(before);
  });

  it("edits fields, records before/after of what changed, and refuses another provider's name", async () => {
    const id = await newProvider({ tags: "a" });
    const other = `Other ${suffix()}`;
    await newProvider({ name: other });
    const current = (await getProvider(id))!;
    const edit = {
      providerId: id,
      name: current.name,
      slug: current.slug,
      baseUrl: "https://proxy.example.com/v1/",
      description: "Via proxy",
      region: "",
      tags: "a, b",
    };
    expect(await executeAction(updateProviderSpec, admin, edit)).toMatchObject({ ok: true });
    expect(await getProvider(id)).toMatchObject({
      baseUrl: "https://proxy.example.com/v1",
      description: "Via proxy",
      tags: ["a", "b"],
    });
    const events = await auditFor(id);
    expect(events.at(-1)).toMatchObject({
      action: "provider.updated",
      details: {
        changes: {
          baseUrl: { before: "https://api.openai.com/v1", after: "https://proxy.example.com/v1" },
          description: { before: "", after: "Via proxy" },
          tags: { before: ["a"], after: ["a", "b"] },
        },
      },
    });
    expect(Object.keys((events.at(-1)!.details as { changes: object }).changes).sort()).toEqual([
      "baseUrl",
      "description",
      "tags",
    ]);

    const clash = await executeAction(updateProviderSpec, admin, { ...edit, name: other.toLowerCase() });
    expect(clash).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining("already exists")] } });
    expect((await getProvider(id))!.name).toBe(current.name);
  });

  it("enables and disables with one audit event per real change", async () => {
    const id = await newProvider();
    expect(await executeAction(setProviderEnabledSpec, admin, { providerId: id, enabled: "false" })).toMatchObject({
      ok: true,
      message: "Provider disabled.",
    });
    expect(await executeAction(setProviderEnabledSpec, admin, { providerId: id, enabled: "false" })).toMatchObject({
      ok: true,
    });
    expect(await executeAction(setProviderEnabledSpec, admin, { providerId: id, enabled: "true" })).toMatchObject({
      ok: true,
      message: "Provider enabled.",
    });
    expect((await auditFor(id)).map((e) => e.action)).toEqual([
      "provider.created",
      "provider.disabled",
      "provider.enabled",
    ]);
  });
});

describe("deleting providers", () => {
  it("hard-deletes a provider nothing refers to, with its models and prices", async () => {
    const id = await newProvider({ importDefaults: "on" });
    const models = await db.model.findMany({ where: { providerId: id }, select: { id: true } });
    expect(await executeAction(deleteProviderSpec, admin, { providerId: id })).toMatchObject({
      ok: true,
      data: { outcome: "deleted" },
    });
    expect(await getProvider(id)).toBeNull();
    expect(await db.modelPrice.count({ where: { modelId: { in: models.map((m) => m.id) } } })).toBe(0);
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "provider.deleted",
      details: { deletedModels: models.length },
    });
  });

  it.each(["ACTIVE", "RETIRING", "EXPIRED"] as const)("refuses while a %s key exists", async (status) => {
    const id = await newProvider();
    await addKey(id, "REVOKED");
    await addKey(id, status);
    const result = await executeAction(deleteProviderSpec, admin, { providerId: id });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/1 API key that is not revoked/) });
    expect(await getProvider(id)).toMatchObject({ archivedAt: null, enabled: true });
  });

  it("archives instead of deleting when usage refers to it", async () => {
    const id = await newProvider();
    await db.usageRecord.create({
      data: { source: "TEST", occurredAt: new Date(), providerId: id, latencyMs: 12, status: "OK" },
    });
    expect(await executeAction(deleteProviderSpec, admin, { providerId: id })).toMatchObject({
      ok: true,
      data: { outcome: "archived" },
    });
    expect(await getProvider(id)).toMatchObject({ enabled: false, archivedAt: expect.any(Date) });
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "provider.archived",
      details: { references: { liveKeys: 0, revokedKeys: 0, hasUsage: true } },
    });
  });

  it("archives when revoked keys refer to it, hides it from the default list, and restores it disabled", async () => {
    const id = await newProvider();
    await addKey(id, "REVOKED");
    expect(await executeAction(deleteProviderSpec, admin, { providerId: id })).toMatchObject({
      ok: true,
      data: { outcome: "archived" },
    });
    expect(await getProvider(id)).toMatchObject({ enabled: false, archivedAt: expect.any(Date) });
    expect((await listProviders()).map((p) => p.id)).not.toContain(id);
    expect((await listProviders({ includeArchived: true })).map((p) => p.id)).toContain(id);

    // Frozen while archived.
    expect(await executeAction(setProviderEnabledSpec, admin, { providerId: id, enabled: "true" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/archived/),
    });
    expect(await executeAction(deleteProviderSpec, admin, { providerId: id })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already archived/),
    });

    expect(await executeAction(restoreProviderSpec, admin, { providerId: id })).toMatchObject({ ok: true });
    expect(await getProvider(id)).toMatchObject({ enabled: false, archivedAt: null });
    expect(await executeAction(restoreProviderSpec, admin, { providerId: id })).toMatchObject({
      ok: false,
      message: "This provider is not archived.",
    });
    expect((await auditFor(id)).map((e) => e.action)).toEqual([
      "provider.created",
      "provider.archived",
      "provider.restored",
    ]);
  });
});

describe("models and prices", () => {
  it("adds a model with its first price, edits it, and refuses a duplicate model id", async () => {
    const providerId = await newProvider();
    const id = await newModel(providerId, {
      modelId: "m-1",
      displayName: "M one",
      contextWindow: "8192",
      inputPrice: "1.10",
      outputPrice: "4.40",
      cachedInputPrice: "0.275",
      effectiveFrom: "2026-01-01",
    });
    expect(await getModel(providerId, id)).toMatchObject({
      modelId: "m-1",
      displayName: "M one",
      contextWindow: 8192,
      current: { input: "1.1", output: "4.4", cachedInput: "0.275" },
    });
    expect((await auditFor(id)).map((e) => e.action)).toEqual(["model.created", "price.added"]);

    expect(await executeAction(createModelSpec, admin, { providerId, modelId: "m-1", type: "GENERAL" })).toMatchObject({
      ok: false,
      fieldErrors: { modelId: [expect.any(String)] },
    });
    const other = await newModel(providerId, { modelId: "m-2" });
    expect(
      await executeAction(updateModelSpec, admin, { providerId, id: other, modelId: "m-1", type: "GENERAL" }),
    ).toMatchObject({ ok: false, fieldErrors: { modelId: [expect.any(String)] } });

    const edit = await executeAction(updateModelSpec, admin, {
      providerId,
      id,
      modelId: "m-1",
      displayName: "M one",
      type: "DOMAIN",
      domain: "Legal",
      contextWindow: "8192",
    });
    expect(edit).toMatchObject({ ok: true });
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "model.updated",
      details: { changes: { type: { before: "GENERAL", after: "DOMAIN" }, domain: { before: null, after: "Legal" } } },
    });
  });

  it("enables, disables and deletes a model with its price history", async () => {
    const providerId = await newProvider();
    const id = await newModel(providerId, { inputPrice: "1", outputPrice: "2", effectiveFrom: "2026-01-01" });
    expect(await executeAction(setModelEnabledSpec, admin, { providerId, id, enabled: "false" })).toMatchObject({
      ok: true,
      message: "Model disabled.",
    });
    expect((await getModel(providerId, id))?.enabled).toBe(false);
    expect(await executeAction(deleteModelSpec, admin, { providerId, id })).toMatchObject({ ok: true });
    expect(await getModel(providerId, id)).toBeNull();
    expect(await db.modelPrice.count({ where: { modelId: id } })).toBe(0);
    expect((await auditFor(id)).at(-1)).toMatchObject({ action: "model.deleted", details: { deletedPrices: 1 } });
  });

  it("appends prices, never overwrites one, and answers the price in force at any time", async () => {
    const providerId = await newProvider();
    const id = await newModel(providerId, { inputPrice: "3", outputPrice: "15", effectiveFrom: "2026-01-01" });
    const first = await db.modelPrice.findFirstOrThrow({ where: { modelId: id } });
    expect(
      await executeAction(addPriceSpec, admin, {
        providerId,
        id,
        inputPrice: "2.5",
        outputPrice: "12.5",
        cachedInputPrice: "0.25",
        effectiveFrom: "2026-03-01",
      }),
    ).toMatchObject({ ok: true });
    expect(
      await executeAction(addPriceSpec, admin, {
        providerId,
        id,
        inputPrice: "2",
        outputPrice: "10",
        effectiveFrom: "2099-01-01",
      }),
    ).toMatchObject({ ok: true });

    const before = await counts();
    const same = await executeAction(addPriceSpec, admin, {
      providerId,
      id,
      inputPrice: "9",
      outputPrice: "9",
      effectiveFrom: "2026-03-01",
    });
    expect(same).toMatchObject({
      ok: false,
      fieldErrors: { effectiveFrom: [expect.stringMatching(/never overwritten/)] },
    });
    expect(await counts()).toEqual(before);

    expect(await db.modelPrice.findUniqueOrThrow({ where: { id: first.id } })).toEqual(first);
    const at = (iso: string) => getModel(providerId, id, new Date(iso)).then((model) => model?.current ?? null);
    expect(await at("2025-12-31T23:59:59Z")).toBeNull();
    expect(await at("2026-02-28T12:00:00Z")).toMatchObject({ input: "3", output: "15", cachedInput: null });
    expect(await at("2026-03-01T00:00:00Z")).toMatchObject({ input: "2.5", output: "12.5", cachedInput: "0.25" });
    expect((await getModel(providerId, id))?.prices).toHaveLength(3);
    expect((await auditFor(id)).at(-2)).toMatchObject({
      action: "price.added",
      details: {
        before: { inputPerMTok: "3" },
        after: { inputPerMTok: "2.5", effectiveFrom: "2026-03-01T00:00:00.000Z" },
      },
    });
  });

  it("refuses a model id under another provider's id as not found", async () => {
    const a = await newProvider();
    const b = await newProvider();
    const model = await newModel(a);
    expect(await getModel(b, model)).toBeNull();
    expect(await executeAction(deleteModelSpec, admin, { providerId: b, id: model })).toMatchObject({
      ok: false,
      message: "Model was not found.",
    });
    expect(await getModel(a, model)).not.toBeNull();
  });
});

describe("failures leave nothing behind", () => {
  it("rolls back a provider and its imported models when the audit write fails", async () => {
    const before = await counts();
    const result = await executeAction(createProviderSpec, admin, {
      name: `P ${HALF_SAVED_MARKER} ${suffix()}`,
      kind: "anthropic",
      importDefaults: "on",
    });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Something went wrong/) });
    expect(await counts()).toEqual(before);
  });

  it("rolls back a model and its first price when the audit write fails", async () => {
    const providerId = await newProvider();
    const before = await counts();
    const result = await executeAction(createModelSpec, admin, {
      providerId,
      modelId: `m-${HALF_SAVED_MARKER}`,
      type: "GENERAL",
      inputPrice: "1",
      outputPrice: "1",
      effectiveFrom: "2026-01-01",
    });
    expect(result.ok).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it.each([
    [
      "update",
      () =>
        executeAction(updateProviderSpec, admin, {
          providerId: randomUUID(),
          name: "x",
          slug: "x",
          baseUrl: "https://a.example",
        }),
      "Provider was not found.",
    ],
    [
      "enable",
      () => executeAction(setProviderEnabledSpec, admin, { providerId: randomUUID(), enabled: "true" }),
      "Provider was not found.",
    ],
    ["delete", () => executeAction(deleteProviderSpec, admin, { providerId: randomUUID() }), "Provider was not found."],
    [
      "restore",
      () => executeAction(restoreProviderSpec, admin, { providerId: randomUUID() }),
      "Provider was not found.",
    ],
    [
      "add model",
      () => executeAction(createModelSpec, admin, { providerId: randomUUID(), modelId: "m", type: "GENERAL" }),
      "Provider was not found.",
    ],
    [
      "add price",
      () =>
        executeAction(addPriceSpec, admin, {
          providerId: randomUUID(),
          id: randomUUID(),
          inputPrice: "1",
          outputPrice: "1",
          effectiveFrom: "2026-01-01",
        }),
      "Provider was not found.",
    ],
  ])("answers %s of an unknown id with not found", async (_name, run, message) => {
    expect(await run()).toMatchObject({ ok: false, message });
  });

  it("answers malformed ids and junk input with field errors, never a thrown error", async () => {
    expect(await executeAction(deleteProviderSpec, admin, { providerId: "../etc" })).toMatchObject({
      ok: false,
      fieldErrors: { providerId: ["Unknown provider."] },
    });
    expect(
      await executeAction(addPriceSpec, admin, { providerId: 1, id: null, inputPrice: ["1"], effectiveFrom: {} }),
    ).toMatchObject({ ok: false, fieldErrors: expect.any(Object) });
    expect(await executeAction(createProviderSpec, admin, "not an object")).toMatchObject({ ok: false });
    expect(await getProvider("not-a-uuid")).toBeNull();
  });
});
