import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { testKeyCallSpec, testModelCallSpec } from "@/lib/test-calls/action-specs";
import type { CallOutcome } from "@/lib/calls/outcome";
import { BUSY_MESSAGE, providerCallLimiter } from "@/lib/provider-clients/call-limiter";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { seedProvider, testUsageOf } from "./test-calls-support";
import { PROVIDER_KIND_IDS } from "@/lib/providers/catalog";

let fake: FakeProvider;
let admin: Actor;
beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
});
afterAll(async () => {
  await fake.close();
});

// Every kind in the registry: a new kind is tested here as soon as it compiles.
const KINDS = PROVIDER_KIND_IDS;

describe("test call per key", () => {
  test.each(KINDS)(
    "%s: streams, measures TTFT ≤ total, records a priced TEST usage row and the key's last test",
    async (kind) => {
      const seeded = await seedProvider(admin, fake.url, kind, {
        apiKey: kind === "ollama" ? `fake-ollama-${kind}` : undefined,
      });
      const result = await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId });
      expect(result.ok, result.message).toBe(true);
      const outcome = result.data as CallOutcome;
      expect(outcome.ok, outcome.message).toBe(true);
      expect(outcome.outputTokens).toBeGreaterThan(0);
      expect(outcome.outputTokens).toBeLessThanOrEqual(16);
      expect(outcome.inputTokens).toBeGreaterThan(0);
      expect(outcome.ttftMs).not.toBeNull();
      expect(outcome.ttftMs!).toBeLessThanOrEqual(outcome.latencyMs!);
      expect(outcome.priced).toBe(true);

      const [usage] = await testUsageOf(seeded.providerId);
      expect(usage).toMatchObject({
        source: "TEST",
        status: "OK",
        keyId: seeded.keyId,
        modelId: seeded.modelId,
        tag: "test",
        priced: true,
      });
      expect(usage!.outputTokens).toBe(outcome.outputTokens);
      // (in × 2.5 + out × 10) / 1M, exactly as the outcome shows it.
      const expected = (usage!.inputTokens * 2.5 + usage!.outputTokens * 10) / 1_000_000;
      expect(Number(outcome.cost)).toBeCloseTo(expected, 12);
      expect(usage!.cost?.toFixed()).toBe(outcome.cost);

      const key = await db.providerKey.findUniqueOrThrow({
        where: { id: seeded.keyId! },
        select: { lastTestOk: true, lastTestMessage: true, lastTestAt: true },
      });
      expect(key.lastTestOk).toBe(true);
      expect(key.lastTestAt).not.toBeNull();
      expect(key.lastTestMessage).toMatch(/^OK in \d+ ms/);
    },
  );

  test("a slow first token shows as TTFT, well below the total of a slow drip", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { model: "gpt-fake-slow-300-drip-30" });
    const outcome = (await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).data as CallOutcome;
    expect(outcome.ok, outcome.message).toBe(true);
    expect(outcome.ttftMs!).toBeGreaterThanOrEqual(280);
    expect(outcome.latencyMs! - outcome.ttftMs!).toBeGreaterThanOrEqual(150);
  });

  test("a model with no price shows as unpriced, never $0", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { price: null });
    const outcome = (await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).data as CallOutcome;
    expect(outcome).toMatchObject({ ok: true, priced: false, cost: null });
    const [usage] = await testUsageOf(seeded.providerId);
    expect(usage).toMatchObject({ priced: false, cost: null });
  });
});

const FAILURES: { name: string; kind: string; apiKey?: string; model?: string; errorClass: string }[] = [
  { name: "wrong key", kind: "openai", apiKey: "sk-wrong-key-abcdefgh", errorClass: "invalid_key" },
  {
    name: "wrong key (Gemini 400)",
    kind: "google",
    apiKey: "AIzaWrongWrongWrongWrongWrong12345",
    errorClass: "invalid_key",
  },
  { name: "401 from Anthropic", kind: "anthropic", apiKey: "fake-401-anthropic", errorClass: "invalid_key" },
  { name: "rate limited", kind: "openai", apiKey: "fake-429-retry-after-0", errorClass: "rate_limited" },
  { name: "quota", kind: "openai", apiKey: "fake-quota-key", errorClass: "quota_exhausted" },
  { name: "model not found", kind: "openai", model: "gpt-missing-model", errorClass: "model_not_found" },
  { name: "server error", kind: "groq", apiKey: "fake-500-key", errorClass: "provider_error" },
  { name: "hang past the timeout", kind: "openai", apiKey: "fake-hang-key", errorClass: "timeout" },
  { name: "connection closed", kind: "anthropic", apiKey: "fake-reset-key", errorClass: "network" },
  { name: "malformed JSON", kind: "openai", apiKey: "fake-malformed-key", errorClass: "malformed_response" },
];

describe("failed test calls", () => {
  test.each(FAILURES)(
    "$name is recorded as $errorClass, on the key and in usage, without the key anywhere",
    async ({ kind, apiKey, model, errorClass }) => {
      const seeded = await seedProvider(admin, fake.url, kind, { apiKey, model, timeoutMs: 1_000 });
      const result = await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId });
      expect(result.ok, result.message).toBe(true);
      const outcome = result.data as CallOutcome;
      expect(outcome).toMatchObject({ ok: false, attempted: true, errorClass });
      expect(result.message).toContain(errorClass);

      const usage = await testUsageOf(seeded.providerId);
      expect(usage).toHaveLength(1);
      expect(usage[0]).toMatchObject({ status: "ERROR", errorClass, outputTokens: 0 });
      const key = await db.providerKey.findUniqueOrThrow({
        where: { id: seeded.keyId! },
        select: { lastTestOk: true, lastTestMessage: true },
      });
      expect(key.lastTestOk).toBe(false);
      expect(key.lastTestMessage).toContain(errorClass);

      const audit = await db.auditEvent.findMany({ where: { targetId: seeded.keyId! }, select: { details: true } });
      const everything = JSON.stringify({ result, usage, key, audit }, (_, value: unknown) =>
        typeof value === "bigint" ? String(value) : value,
      );
      expect(everything).not.toContain(seeded.apiKey);
    },
  );
});

describe("test call per model", () => {
  test("uses the primary key and the named model", async () => {
    const seeded = await seedProvider(admin, fake.url, "anthropic");
    const other = await db.model.create({
      data: { providerId: seeded.providerId, modelId: "claude-fake-other", displayName: "Other" },
      select: { id: true },
    });
    const result = await executeAction(testModelCallSpec, admin, { providerId: seeded.providerId, modelId: other.id });
    expect(result.ok, result.message).toBe(true);
    expect(result.data).toMatchObject({
      ok: true,
      modelId: other.id,
      modelName: "claude-fake-other",
      keyId: seeded.keyId,
      cost: null,
      priced: false,
    });
    expect(result.message).toContain("unpriced");
  });

  test("a model of another provider is not found and nothing is recorded", async () => {
    const a = await seedProvider(admin, fake.url, "openai");
    const b = await seedProvider(admin, fake.url, "openai");
    const result = await executeAction(testModelCallSpec, admin, { providerId: a.providerId, modelId: b.modelId });
    expect(result).toMatchObject({ ok: false, message: "Model was not found." });
    expect(await testUsageOf(a.providerId)).toHaveLength(0);
  });

  test("a provider without a usable key reports no_key and records nothing", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { apiKey: null });
    const result = await executeAction(testModelCallSpec, admin, {
      providerId: seeded.providerId,
      modelId: seeded.modelId,
    });
    expect(result.data).toMatchObject({ ok: false, attempted: false, errorClass: "no_key" });
    expect(await testUsageOf(seeded.providerId)).toHaveLength(0);
  });

  test("Ollama without any stored key is called without one", async () => {
    const seeded = await seedProvider(admin, fake.url, "ollama", { apiKey: null, model: "llama3" });
    const result = await executeAction(testModelCallSpec, admin, {
      providerId: seeded.providerId,
      modelId: seeded.modelId,
    });
    expect(result.data).toMatchObject({ ok: true, keyId: null });
  });

  test("a key of a provider with no chat model yet is verified by listing models, spending nothing", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    await db.model.delete({ where: { id: seeded.modelId } });
    const result = await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId });
    expect(result.data).toMatchObject({ ok: true, attempted: false, errorClass: null });
    expect(result.message).toMatch(/accepted the key/);
    expect(await testUsageOf(seeded.providerId)).toHaveLength(0);
    const key = await db.providerKey.findUniqueOrThrow({
      where: { id: seeded.keyId! },
      select: { lastTestOk: true, lastTestMessage: true },
    });
    expect(key).toMatchObject({ lastTestOk: true, lastTestMessage: expect.stringMatching(/accepted the key/) });

    const refused = await seedProvider(admin, fake.url, "openai", { apiKey: "sk-refused-by-fake-xyz" });
    await db.model.delete({ where: { id: refused.modelId } });
    expect((await executeAction(testKeyCallSpec, admin, { keyId: refused.keyId })).data).toMatchObject({
      ok: false,
      errorClass: "invalid_key",
    });
  });

  test("a revoked key cannot be tested", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    await db.providerKey.update({ where: { id: seeded.keyId! }, data: { status: "REVOKED", isPrimary: false } });
    const result = await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/revoked/);
    expect(await testUsageOf(seeded.providerId)).toHaveLength(0);
  });
});

describe("the process-wide provider-call bound", () => {
  test("with every slot taken and the queue full, a test answers busy at once and records nothing", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const held = await Promise.all(Array.from({ length: 32 }, () => providerCallLimiter.acquire()));
    expect(held.every(Boolean)).toBe(true);
    const queued = Array.from({ length: 64 }, () => providerCallLimiter.acquire());
    try {
      const started = performance.now();
      const result = await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(result).toMatchObject({ ok: false, message: BUSY_MESSAGE });
      expect(await testUsageOf(seeded.providerId)).toEqual([]);
      const key = await db.providerKey.findUniqueOrThrow({
        where: { id: seeded.keyId! },
        select: { lastTestAt: true },
      });
      expect(key.lastTestAt).toBeNull();
    } finally {
      for (const release of held) release?.();
      for (const waiter of queued) (await waiter)?.();
    }
    expect(providerCallLimiter.inFlight).toBe(0);
    // Free again: the same test runs.
    expect((await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).ok).toBe(true);
  });
});
