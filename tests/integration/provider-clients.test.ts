import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { runCompletion, type CompletionInput } from "@/lib/calls/run-completion";
import { PROVIDER_KINDS } from "@/lib/provider-clients/wire-formats";
import { fakeBaseUrl, startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";

// Route each kind's chat calls land on in the fake, to count attempts.
const CHAT_ROUTE: Record<string, string> = {
  anthropic: "anthropic.chat",
  google: "gemini.chat",
  ollama: "ollama.chat",
};
const chatRoute = (kind: string) => CHAT_ROUTE[kind] ?? "openai.chat";

const FAST_RETRIES = { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 5_000 };

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Letters only, so a random suffix can never read as a behaviour such as "500".
const suffix = () =>
  Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8);

// `prompt` is shorthand for a single user message.
function call(
  kind: string,
  { prompt = "Say hello in five words.", ...overrides }: Partial<CompletionInput> & { prompt?: string } = {},
) {
  return runCompletion({
    kind,
    baseUrl: fakeBaseUrl(fake.url, kind),
    apiKey: `sk-fake-${suffix()}`,
    model: "fake-small",
    messages: [{ role: "user", content: prompt }],
    maxOutputTokens: 16,
    timeoutMs: 5_000,
    maxRetries: 2,
    retryPolicy: FAST_RETRIES,
    ...overrides,
  });
}

describe.each(PROVIDER_KINDS)("%s", (kind) => {
  test("streams a completion with tokens, TTFT before the end, and the slow first token in TTFT", async () => {
    const tokens: string[] = [];
    const result = await call(kind, { prompt: "Say hello. [[fake:slow-300]]", onToken: (t) => tokens.push(t) });
    expect(result).toMatchObject({ ok: true, httpStatus: 200, attempts: 1, usageEstimated: false });
    if (!result.ok) return;
    expect(result.text).toBe("Hello from the fake provider. Everything is working as expected today.");
    expect(tokens.join("")).toBe(result.text);
    expect(result.outputTokens).toBe(11);
    expect(result.inputTokens).toBeGreaterThan(0);
    expect(result.ttftMs).toBeGreaterThanOrEqual(290);
    expect(result.ttftMs).toBeLessThan(result.totalMs);
  });

  test("a refused key fails as invalid_key without a retry, and the message never holds the key", async () => {
    const apiKey = kind === "ollama" ? "fake-401" : "wrong-key-1234567890";
    const before = fake.count(chatRoute(kind));
    const result = await call(kind, { apiKey, prompt: kind === "ollama" ? "Hi [[fake:401]]" : "Hi" });
    expect(result).toMatchObject({ ok: false, errorClass: "invalid_key" });
    expect(fake.count(chatRoute(kind)) - before).toBe(1);
    if (!result.ok) expect(result.message).not.toContain(apiKey);
  });
});

describe("retries and failure classes (OpenAI wire format)", () => {
  test("429 is retried and then succeeds", async () => {
    const result = await call("openai", { apiKey: `fake-429x2-retry-after-0-${suffix()}` });
    expect(result).toMatchObject({ ok: true, attempts: 3 });
  });

  test("429 gives up after maxRetries, waiting the Retry-After each time", async () => {
    const before = fake.count("anthropic.chat");
    const result = await call("anthropic", { apiKey: `fake-429-retry-after-1-${suffix()}`, maxRetries: 1 });
    expect(result).toMatchObject({ ok: false, errorClass: "rate_limited", httpStatus: 429, attempts: 2 });
    expect(fake.count("anthropic.chat") - before).toBe(2);
    expect(result.totalMs).toBeGreaterThanOrEqual(950);
  });

  test("quota exhaustion is not retried", async () => {
    const result = await call("google", { apiKey: `fake-quota-${suffix()}` });
    expect(result).toMatchObject({ ok: false, errorClass: "quota_exhausted", httpStatus: 429, attempts: 1 });
  });

  test("500 is retried and then succeeds; persistent 500 is a provider_error", async () => {
    expect(await call("mistral", { apiKey: `fake-500x1-${suffix()}` })).toMatchObject({ ok: true, attempts: 2 });
    expect(await call("groq", { apiKey: `fake-503-${suffix()}` })).toMatchObject({
      ok: false,
      errorClass: "provider_error",
      attempts: 3,
    });
  });

  test("other 4xx are never retried", async () => {
    const result = await call("openai", { model: "missing-model" });
    expect(result).toMatchObject({ ok: false, errorClass: "model_not_found", httpStatus: 404, attempts: 1 });
  });

  test("a provider that hangs times out", async () => {
    const result = await call("openai", { apiKey: `fake-hang-${suffix()}`, timeoutMs: 400 });
    expect(result).toMatchObject({ ok: false, errorClass: "timeout", attempts: 1 });
    expect(result.totalMs).toBeGreaterThanOrEqual(390);
  });

  test("a stream that stalls after the first token times out with the TTFT kept", async () => {
    const result = await call("ollama", { prompt: "Hi [[fake:stall]]", timeoutMs: 400 });
    expect(result).toMatchObject({ ok: false, errorClass: "timeout" });
    expect(result.ttftMs).toBeDefined();
  });

  test("a connection closed mid-response is a network error", async () => {
    const result = await call("anthropic", { apiKey: `fake-close-${suffix()}` });
    expect(result).toMatchObject({ ok: false, errorClass: "network" });
  });

  test("a connection reset before any answer is retried, then reported as network", async () => {
    const before = fake.count("openai.chat");
    const result = await call("together", { apiKey: `fake-reset-${suffix()}`, maxRetries: 1 });
    expect(result).toMatchObject({ ok: false, errorClass: "network", attempts: 2 });
    expect(fake.count("openai.chat") - before).toBe(2);
  });

  test("a refused connection is a network error", async () => {
    const result = await call("openai", { baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 0 });
    expect(result).toMatchObject({ ok: false, errorClass: "network" });
  });

  test.each(["openai", "anthropic", "google", "ollama"])(
    "malformed stream from %s is a malformed_response",
    async (kind) => {
      const result = await call(kind, { prompt: "Hi [[fake:malformed]]" });
      expect(result).toMatchObject({ ok: false, errorClass: "malformed_response" });
    },
  );

  test("a caller's abort stops the call", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await call("openai", { apiKey: `fake-slow-2000-${suffix()}`, signal: controller.signal });
    expect(result).toMatchObject({ ok: false, errorClass: "cancelled", message: expect.stringContaining("cancelled") });
    expect(result.totalMs).toBeLessThan(1_500);
  });
});
