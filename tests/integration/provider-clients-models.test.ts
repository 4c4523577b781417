import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { listModels } from "@/lib/provider-clients/list-models";
import { runCompletion } from "@/lib/calls/run-completion";
import { verifyProviderKey } from "@/lib/provider-clients/verify-key";
import { PROVIDER_KINDS } from "@/lib/provider-clients/wire-formats";
import { fakeBaseUrl, startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

const suffix = () =>
  Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8);
const keyed = (kind: string, apiKey: string) => ({ kind, baseUrl: fakeBaseUrl(fake.url, kind), apiKey });

describe("verifyProviderKey", () => {
  test.each(PROVIDER_KINDS)("%s: a good key verifies by listing models", async (kind) => {
    const result = await verifyProviderKey(keyed(kind, `sk-fake-${suffix()}`));
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test.each(PROVIDER_KINDS.filter((kind) => kind !== "ollama"))(
    "%s: a wrong key is invalid_key and is not echoed",
    async (kind) => {
      const apiKey = `wrong-${suffix()}-key`;
      const result = await verifyProviderKey(keyed(kind, apiKey));
      expect(result).toMatchObject({ ok: false, errorClass: "invalid_key" });
      if (!result.ok) expect(result.message).not.toContain(apiKey);
    },
  );

  test.each([
    ["fake-429", "rate_limited"],
    ["fake-quota", "quota_exhausted"],
    ["fake-500", "provider_error"],
    ["fake-malformed", "malformed_response"],
    ["fake-reset", "network"],
  ])("key %s is classified as %s on every wire format", async (behavior, errorClass) => {
    for (const kind of ["openai", "azure", "anthropic", "google", "ollama"]) {
      const result = await verifyProviderKey(keyed(kind, `${behavior}-${suffix()}`));
      expect(result, kind).toMatchObject({ ok: false, errorClass });
    }
  });

  test("a hanging provider times out", async () => {
    const result = await verifyProviderKey({ ...keyed("anthropic", `fake-hang-${suffix()}`), timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, errorClass: "timeout" });
  });

  test("nothing listening is a network error", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await verifyProviderKey({
      kind: "openai",
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: "sk-fake",
    });
    expect(result).toMatchObject({ ok: false, errorClass: "network" });
  });

  test("the Gemini key travels in a header, never in the URL", async () => {
    fake.reset();
    await verifyProviderKey(keyed("google", `sk-fake-${suffix()}`));
    expect(fake.requests.map((r) => r.path)).toEqual(["/v1beta/models"]);
  });
});

describe("listModels", () => {
  test.each(["openai", "azure", "groq", "openrouter", "openai-compatible"])(
    "%s lists OpenAI-style models",
    async (kind) => {
      const result = await listModels(keyed(kind, "sk-fake-list"));
      expect(result).toEqual({
        ok: true,
        models: [
          { id: "fake-large", contextWindow: 128000 },
          { id: "fake-small", contextWindow: 8192 },
        ],
      });
    },
  );

  test("anthropic lists models with display names", async () => {
    const result = await listModels(keyed("anthropic", "sk-fake-list"));
    expect(result).toEqual({
      ok: true,
      models: [
        { id: "fake-large", displayName: "Fake Large" },
        { id: "fake-small", displayName: "Fake Small" },
      ],
    });
  });

  test("google lists models without the models/ prefix, with context windows", async () => {
    const result = await listModels(keyed("google", "sk-fake-list"));
    expect(result).toEqual({
      ok: true,
      models: [
        { id: "fake-large", displayName: "Fake Large", contextWindow: 128000 },
        { id: "fake-small", displayName: "Fake Small", contextWindow: 8192 },
      ],
    });
  });

  test("ollama lists its local tags", async () => {
    const result = await listModels(keyed("ollama", ""));
    expect(result).toEqual({ ok: true, models: [{ id: "fake-large:latest" }, { id: "fake-small:latest" }] });
  });

  test("failures are classified and scrubbed", async () => {
    const apiKey = `wrong-${suffix()}-key`;
    const result = await listModels(keyed("openai", apiKey));
    expect(result).toMatchObject({ ok: false, errorClass: "invalid_key", httpStatus: 401 });
    if (!result.ok) expect(result.message).not.toContain(apiKey);
    expect(await listModels(keyed("google", `fake-malformed-${suffix()}`))).toMatchObject({
      ok: false,
      errorClass: "malformed_response",
    });
  });
});

describe("no error message ever contains the key", () => {
  const behaviors = ["401", "403", "429", "quota", "500", "close", "reset", "malformed", "hang"];
  test.each(["openai", "anthropic", "google", "ollama", "azure"])("%s, every failure behaviour", async (kind) => {
    for (const behavior of behaviors) {
      const apiKey = `fake-${behavior}-${suffix()}${suffix()}`;
      const completion = await runCompletion({
        ...keyed(kind, apiKey),
        model: "fake-small",
        messages: [{ role: "user", content: "Hi" }],
        maxOutputTokens: 8,
        timeoutMs: 300,
        maxRetries: 0,
      });
      const verified = await verifyProviderKey({ ...keyed(kind, apiKey), timeoutMs: 300 });
      for (const result of [completion, verified]) {
        expect(result.ok, `${kind} ${behavior}`).toBe(false);
        if (!result.ok) expect(result.message, `${kind} ${behavior}`).not.toContain(apiKey);
      }
    }
  });
});
