import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { createModelSpec, createProviderSpec, updateModelSpec, updateProviderSpec } from "@/lib/providers/action-specs";
import { createActor } from "../support/actors";

// What the gateway reads from the catalog: each provider's slug (models are named
// `<slug>/<model id>`) and each model's max output tokens. Expected values are written out here
// and checked against the stored rows, not against what the actions answer.

const suffix = () => randomUUID().slice(0, 8);
let admin: Actor;

beforeAll(async () => {
  admin = await createActor("ADMIN");
});

const row = (id: string) =>
  db.provider.findUniqueOrThrow({ where: { id }, select: { name: true, slug: true, updatedAt: true } });
const auditOf = (targetId: string) =>
  db.auditEvent.findMany({ where: { targetId }, orderBy: { id: "asc" }, select: { action: true, details: true } });
const counts = async () => ({ providers: await db.provider.count(), audit: await db.auditEvent.count() });

async function create(fields: Record<string, string>) {
  const result = await executeAction(createProviderSpec, admin, { kind: "openai", ...fields });
  if (!result.ok || !result.data) throw new Error(`fixture failed: ${JSON.stringify(result)}`);
  return result.data.id;
}

function editOf(id: string, current: { name: string; slug: string }) {
  return { providerId: id, name: current.name, slug: current.slug, baseUrl: "https://api.openai.com/v1" };
}

describe("provider slugs", () => {
  it("derives the slug from the name when left empty, with -2 on a clash, and audits what was stored", async () => {
    const s = suffix();
    const first = await create({ name: `My  Provider ${s}!`, slug: "" });
    const second = await create({ name: `my provider ${s}` });
    expect((await row(first)).slug).toBe(`my-provider-${s}`);
    expect((await row(second)).slug).toBe(`my-provider-${s}-2`);
    const [created] = await auditOf(first);
    expect(created).toMatchObject({ action: "provider.created", details: { after: { slug: `my-provider-${s}` } } });
  });

  it("stores a slug given on create, lower-cased and trimmed", async () => {
    const s = suffix();
    const id = await create({ name: `Given ${s}`, slug: `  Acme-EU-${s} ` });
    expect((await row(id)).slug).toBe(`acme-eu-${s}`);
  });

  it("refuses a taken slug on create with a field error and adds nothing", async () => {
    const s = suffix();
    await create({ name: `Owner ${s}`, slug: `taken-${s}` });
    const before = await counts();
    const result = await executeAction(createProviderSpec, admin, {
      name: `Newcomer ${s}`,
      kind: "anthropic",
      slug: `taken-${s}`,
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { slug: [expect.stringContaining(`Owner ${s}`)] },
      values: { slug: `taken-${s}` },
    });
    expect(await counts()).toEqual(before);
  });

  it("edits the slug, audits before and after, and says how many gateway keys still name the old one", async () => {
    const s = suffix();
    const id = await create({ name: `Rename ${s}`, slug: `old-${s}` });
    const team = randomUUID();
    await db.$executeRaw`INSERT INTO teams (id, name, updated_at) VALUES (${team}::uuid, ${`team-${s}`}, now())`;
    for (const [status, allowed] of [
      ["ACTIVE", [`old-${s}/gpt-4o`, "gpt-4o-mini"]],
      ["ACTIVE", [`old-${s}-eu/gpt-4o`]], // another slug that merely starts the same
      ["REVOKED", [`old-${s}/gpt-4o`]],
    ] as const) {
      await db.$executeRaw`INSERT INTO gateway_keys (id, team_id, name, key_hash, last4, allowed_models, status, updated_at)
        VALUES (gen_random_uuid(), ${team}::uuid, 'k', ${randomBytes(32).toString("hex")}, 'abcd', ${allowed as readonly string[]}::text[],
                ${status}::"GatewayKeyStatus", now())`;
    }
    const result = await executeAction(updateProviderSpec, admin, {
      ...editOf(id, { name: `Rename ${s}`, slug: `new-${s}` }),
    });
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toMatch(/1 gateway key\(s\) allow models under the old slug/);
    expect((await row(id)).slug).toBe(`new-${s}`);
    const updated = (await auditOf(id)).at(-1)!;
    expect(updated).toMatchObject({
      action: "provider.updated",
      details: { changes: { slug: { before: `old-${s}`, after: `new-${s}` } } },
    });
    expect(Object.keys((updated.details as { changes: object }).changes)).toEqual(["slug"]);
  });

  it("refuses another provider's slug on edit with a field error and changes nothing", async () => {
    const s = suffix();
    await create({ name: `Holder ${s}`, slug: `held-${s}` });
    const id = await create({ name: `Mover ${s}`, slug: `mover-${s}` });
    const before = { row: await row(id), audit: await auditOf(id) };
    const result = await executeAction(
      updateProviderSpec,
      admin,
      editOf(id, { name: `Mover ${s}`, slug: `HELD-${s}` }),
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { slug: [expect.stringContaining(`held-${s}`)] },
    });
    expect(result.message).not.toMatch(/Something went wrong/);
    expect(await row(id)).toEqual(before.row);
    expect(await auditOf(id)).toEqual(before.audit);
  });

  it.each([
    ["nothing in it", ""],
    ["only spaces", "   "],
    ["a leading dash", "-abc"],
    ["a trailing dash", "abc-"],
    ["an underscore", "a_b"],
    ["a slash", "a/b"],
    ["a dot", "a.b"],
    ["a space inside", "a b"],
    ["41 characters", "a".repeat(41)],
    ["a non-ASCII letter", "café"],
  ])("refuses a slug with %s with a field error on edit", async (_label, slug) => {
    const s = suffix();
    const id = await create({ name: `Format ${s}`, slug: `format-${s}` });
    const result = await executeAction(updateProviderSpec, admin, editOf(id, { name: `Format ${s}`, slug }));
    expect(result).toMatchObject({ ok: false });
    expect(result.fieldErrors?.slug).toHaveLength(1);
    expect((await row(id)).slug).toBe(`format-${s}`);
  });

  it("accepts slugs at the edges of the format", async () => {
    const s = suffix();
    const id = await create({ name: `Edges ${s}`, slug: `edges-${s}` });
    for (const slug of ["x", `${s}${"9".repeat(32)}`, `a-${s}--b`]) {
      expect(await executeAction(updateProviderSpec, admin, editOf(id, { name: `Edges ${s}`, slug }))).toMatchObject({
        ok: true,
      });
      expect((await row(id)).slug).toBe(slug);
    }
  });

  it("answers a clash the pre-check could not see (a writer outside its lock) with the slug field error", async () => {
    const s = suffix();
    await create({ name: `Existing ${s}`, slug: `existing-${s}` });
    // Stands in for a concurrent writer: the row's slug turns into a taken one after the check.
    await db.$executeRawUnsafe(`CREATE FUNCTION gateway_fields_test_collide() RETURNS trigger AS $$
      BEGIN IF NEW.name = 'Collider ${s}' THEN NEW.slug := 'existing-${s}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(
      `CREATE TRIGGER providers_test_collide BEFORE INSERT ON providers FOR EACH ROW EXECUTE FUNCTION gateway_fields_test_collide()`,
    );
    try {
      const before = await counts();
      const result = await executeAction(createProviderSpec, admin, {
        name: `Collider ${s}`,
        kind: "openai",
        slug: `free-${s}`,
      });
      expect(result).toMatchObject({ ok: false, fieldErrors: { slug: [expect.stringContaining(`free-${s}`)] } });
      expect(await counts()).toEqual(before);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS providers_test_collide ON providers`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS gateway_fields_test_collide()`);
    }
  });

  it("refuses a badly formed slug on create (an empty one is derived instead)", async () => {
    const before = await counts();
    const result = await executeAction(createProviderSpec, admin, {
      name: `Bad ${suffix()}`,
      kind: "openai",
      slug: "Not a slug!",
    });
    expect(result).toMatchObject({ ok: false, fieldErrors: { slug: [expect.any(String)] } });
    expect(await counts()).toEqual(before);
  });
});

describe("model max output tokens", () => {
  const model = (id: string) =>
    db.model.findUniqueOrThrow({ where: { id }, select: { maxOutputTokens: true, contextWindow: true } });

  it("stores it on create (separators allowed), audits a change, and clears it when emptied", async () => {
    const providerId = await create({ name: `Tokens ${suffix()}` });
    const created = await executeAction(createModelSpec, admin, {
      providerId,
      modelId: "m-out",
      type: "GENERAL",
      contextWindow: "128,000",
      maxOutputTokens: "16,384",
    });
    expect(created).toMatchObject({ ok: true });
    const id = created.data!.id;
    expect(await model(id)).toEqual({ maxOutputTokens: 16384, contextWindow: 128000 });
    expect((await auditOf(id))[0]).toMatchObject({
      action: "model.created",
      details: { after: { maxOutput: 16384 } },
    });

    const edit = { providerId, id, modelId: "m-out", type: "GENERAL", contextWindow: "128000" };
    expect(await executeAction(updateModelSpec, admin, { ...edit, maxOutputTokens: "32000" })).toMatchObject({
      ok: true,
    });
    expect((await model(id)).maxOutputTokens).toBe(32000);
    expect((await auditOf(id)).at(-1)).toMatchObject({
      action: "model.updated",
      details: { changes: { maxOutput: { before: 16384, after: 32000 } } },
    });
    expect(await executeAction(updateModelSpec, admin, { ...edit, maxOutputTokens: "" })).toMatchObject({ ok: true });
    expect((await model(id)).maxOutputTokens).toBeNull();
  });

  it.each(["0", "-1", "1.5", "abc", "10000001", "99999999999", "1e4"])(
    "refuses %s as max output tokens with a field error",
    async (maxOutputTokens) => {
      const providerId = await create({ name: `Bad tokens ${suffix()}` });
      const result = await executeAction(createModelSpec, admin, {
        providerId,
        modelId: "m-bad",
        type: "GENERAL",
        maxOutputTokens,
      });
      expect(result).toMatchObject({ ok: false, fieldErrors: { maxOutputTokens: [expect.any(String)] } });
      expect(await db.model.count({ where: { providerId } })).toBe(0);
    },
  );

  it("refuses more output tokens than the context window holds", async () => {
    const providerId = await create({ name: `Window ${suffix()}` });
    const result = await executeAction(createModelSpec, admin, {
      providerId,
      modelId: "m-window",
      type: "GENERAL",
      contextWindow: "8192",
      maxOutputTokens: "8193",
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { maxOutputTokens: ["Max output tokens cannot exceed the context window."] },
    });
    expect(await db.model.count({ where: { providerId } })).toBe(0);
  });
});
