import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { saveConfigSpec } from "@/lib/config/action-specs";
import { getEffectiveConfig } from "@/lib/config/effective-config";
import { CONFIG_DEFAULTS } from "@/lib/config/fields";
import { createActor } from "../support/actors";

const suffix = () => randomUUID().slice(0, 8);

async function providerWithModel(kind = "openai") {
  const provider = await db.provider.create({
    data: { name: `cfg-eff-${suffix()}`, kind, baseUrl: "http://127.0.0.1:9/v1" },
    select: { id: true },
  });
  const model = await db.model.create({
    data: { providerId: provider.id, modelId: `gpt-test-${suffix()}`, displayName: "Test model" },
    select: { id: true, modelId: true },
  });
  return { providerId: provider.id, model };
}

let admin: Actor;
beforeAll(async () => {
  admin = await createActor("ADMIN");
});

describe("getEffectiveConfig", () => {
  it("answers built-in defaults for a provider nobody configured", async () => {
    const { providerId } = await providerWithModel();
    const config = await getEffectiveConfig(providerId);
    expect(config).toMatchObject({
      providerId,
      modelId: null,
      providerVersion: null,
      modelVersion: null,
      values: CONFIG_DEFAULTS,
    });
    expect(config?.fields.timeoutMs).toEqual({ value: CONFIG_DEFAULTS.timeoutMs, source: "default" });
  });

  it("lets a model's values override the provider's field by field, with each value's source", async () => {
    const { providerId, model } = await providerWithModel();
    await executeAction(saveConfigSpec, admin, {
      providerId,
      baseVersion: 0,
      temperature: "1.5",
      timeoutMs: "20000",
      monthlyBudgetUsd: "500",
    });
    await executeAction(saveConfigSpec, admin, {
      providerId,
      modelId: model.id,
      baseVersion: 0,
      temperature: "0.3",
      tokensPerMinute: "9000",
    });

    const forModel = await getEffectiveConfig(providerId, model.id);
    expect(forModel).toMatchObject({ modelId: model.id, providerVersion: 1, modelVersion: 1 });
    expect(forModel?.fields).toMatchObject({
      temperature: { value: 0.3, source: "model" },
      tokensPerMinute: { value: 9000, source: "model" },
      timeoutMs: { value: 20000, source: "provider" },
      monthlyBudgetUsd: { value: "500.00", source: "provider" },
      retries: { value: CONFIG_DEFAULTS.retries, source: "default" },
    });
    // The model's API id works as well as its row id.
    expect((await getEffectiveConfig(providerId, model.modelId))?.values).toEqual(forModel?.values);
    expect((await getEffectiveConfig(providerId))?.fields.temperature).toEqual({ value: 1.5, source: "provider" });
  });

  it("follows the newest version of each level", async () => {
    const { providerId, model } = await providerWithModel();
    await executeAction(saveConfigSpec, admin, { providerId, modelId: model.id, baseVersion: 0, retries: "1" });
    await executeAction(saveConfigSpec, admin, {
      providerId,
      modelId: model.id,
      baseVersion: 1,
      retries: "",
      topP: "0.4",
    });
    const config = await getEffectiveConfig(providerId, model.id);
    expect(config?.modelVersion).toBe(2);
    expect(config?.fields.retries.source).toBe("default");
    expect(config?.fields.topP).toEqual({ value: 0.4, source: "model" });
  });

  it("answers null for unknown providers, malformed ids and another provider's model", async () => {
    const first = await providerWithModel();
    const second = await providerWithModel();
    expect(await getEffectiveConfig(randomUUID())).toBeNull();
    expect(await getEffectiveConfig("not-a-uuid")).toBeNull();
    expect(await getEffectiveConfig(first.providerId, second.model.id)).toBeNull();
    expect(await getEffectiveConfig(first.providerId, "no-such-model")).toBeNull();
  });

  it("refuses to configure another provider's model through this provider", async () => {
    const first = await providerWithModel();
    const second = await providerWithModel();
    const result = await executeAction(saveConfigSpec, admin, {
      providerId: first.providerId,
      modelId: second.model.id,
      baseVersion: 0,
      retries: "1",
    });
    expect(result).toMatchObject({ ok: false, message: "Model was not found." });
    expect(await db.configVersion.count({ where: { providerId: { in: [first.providerId, second.providerId] } } })).toBe(
      0,
    );
  });
});
