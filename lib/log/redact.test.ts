import { afterEach, describe, expect, it, vi } from "vitest";

// Next's server runtime installs AsyncLocalStorage globally before its request store is created;
// plain Node under Vitest does not, so do what Next does.
vi.hoisted(async () => {
  const { AsyncLocalStorage } = await import("node:async_hooks");
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage = AsyncLocalStorage;
});
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { REDACTED, redact, redactText } from "@/lib/log/redact";
import { logger } from "@/lib/log/logger";
import { currentRequestId, requestIdFrom } from "@/lib/log/request-context";

const OPENAI = "sk-proj-AbCdEf0123456789xyzXYZ";
const ANTHROPIC = "sk-ant-api03-AbCdEf0123456789_xyz";
const GOOGLE = "AIzaSyA1234567890abcdefghijklmnopqrs";
const BEARER = "eyJhbGciOiJIUzI1NiJ9.payload.signature";

describe("redact", () => {
  it("blanks secret-named fields at any depth, whatever their value", () => {
    const out = JSON.stringify(
      redact({
        user: { email: "a@example.test", password: "hunter2hunter2", passwordHash: "$argon2id$x" },
        provider: { apiKey: "plain-looking", api_key: 42, key: { nested: true }, keyId: "ok-to-show" },
        request: {
          headers: { Authorization: "Basic dXNlcjpwYXNz", cookie: "next-auth.session-token=abc", "x-api-key": "zzz" },
        },
        token: "pcu_abcdef",
        secret: "s",
        ciphertext: "v1:...",
        list: [{ refreshToken: "r" }],
      }),
    );
    for (const leaked of [
      "hunter2hunter2",
      "$argon2id$x",
      "plain-looking",
      "dXNlcjpwYXNz",
      "session-token=abc",
      "zzz",
      "pcu_abcdef",
      "v1:...",
    ])
      expect(out).not.toContain(leaked);
    expect(out).toContain("a@example.test");
    expect(out).toContain("ok-to-show");
  });

  it("removes provider keys, bearer tokens and key-bearing URLs from free text", () => {
    const text = `call failed with ${OPENAI} and ${ANTHROPIC} and ${GOOGLE}; Authorization: Bearer ${BEARER}; GET https://gen.example.com/v1/models?key=${GOOGLE.slice(4)}&alt=json and ?api_key=abc123&token=t0k3n`;
    const out = redactText(text);
    for (const leaked of [OPENAI, ANTHROPIC, GOOGLE, BEARER, GOOGLE.slice(4), "abc123", "t0k3n"])
      expect(out).not.toContain(leaked);
    expect(out).toContain(`Bearer ${REDACTED}`);
    expect(out).toContain("alt=json");
  });

  it("keeps ids: UUIDs, short fingerprints and request ids survive in audit details and logs", () => {
    const details = {
      providerId: "550e8400-e29b-41d4-a716-446655440000",
      keyId: "0f8fad5b-d9cb-469f-a165-70867728950e",
      fingerprint: "9f3a0c1d",
      requestId: "req-12345678",
    };
    expect(redact(details)).toEqual(details);
    expect(redactText(`key ${details.keyId} of provider ${details.providerId}`)).toBe(
      `key ${details.keyId} of provider ${details.providerId}`,
    );
  });

  it("removes every provider kind's key shape", () => {
    const keys = [
      "xai-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUv", // xAI
      "0123456789abcdef0123456789abcdef", // Azure: 32 hex digits
      "Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcDeF", // Mistral: 32 letters and digits
      "gsk_AbCdEfGhIjKlMnOpQrStUvWxYz012345", // Groq
      "sk-or-v1-0123456789abcdef0123456789abcdef", // OpenRouter
      "sk-ant-api03-AbCdEf0123456789_xyz-AAAA", // Anthropic
      "AIzaSyA1234567890abcdefghijklmnopqrs", // Google
      "pplx-0123456789abcdef0123456789abcdef", // Perplexity-style
    ];
    const out = redactText(`keys: ${keys.join(" | ")} end`);
    for (const key of keys) expect(out).not.toContain(key);
    expect(out).toContain("keys:");
    expect(out).toContain("end");
  });

  it("removes the given secret's encodings and any 10-character run of it", () => {
    const secret = "my/custom+secret=value-0123";
    const basic = Buffer.from(`user:${secret}`).toString("base64");
    const text = `raw ${secret} url ${encodeURIComponent(secret)} basic ${basic} part ${secret.slice(3, 17)} json ${secret.replace(/\//g, "\\/")}`;
    const out = redactText(text, [secret]);
    expect(out).not.toContain(secret.slice(3, 17));
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(basic.slice(8, 24));
    expect(out).toMatch(/^raw \[redacted\] url \[redacted\] basic /);
  });

  it("redacts Error messages and stacks, including nested causes in objects", () => {
    const error = new Error(`401 from provider: invalid key ${OPENAI}`);
    const out = JSON.stringify(
      redact({ error, wrapped: { inner: [new TypeError(`fetch https://x.example/?api_key=${OPENAI}`)] } }),
    );
    expect(out).not.toContain(OPENAI);
    expect(out).toContain("401 from provider");
  });

  it("removes exact secrets passed explicitly, and survives deep or cyclic-looking shapes", () => {
    expect(redactText("the key is custom-secret-value!", ["custom-secret-value"])).toBe(`the key is ${REDACTED}!`);
    let deep: Record<string, unknown> = { password: "p" };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).not.toContain('"p"');
  });
});

describe("logger", () => {
  afterEach(() => vi.restoreAllMocks());

  function captureStdout(): string[] {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  }

  it("writes one redacted JSON line, with no request id outside a request", () => {
    const lines = captureStdout();
    logger.info("provider call", {
      url: `https://p.example/v1?key=${GOOGLE}`,
      headers: { authorization: `Bearer ${BEARER}` },
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", message: "provider call" });
    expect(line.requestId).toBeUndefined();
    expect(lines[0]).not.toContain(GOOGLE);
    expect(lines[0]).not.toContain(BEARER);
  });

  it("includes the request id of the request being served", () => {
    const lines = captureStdout();
    const store = { type: "request", headers: new Headers({ "x-request-id": "req-12345678" }) };
    workUnitAsyncStorage.run(store as unknown as Parameters<typeof workUnitAsyncStorage.run>[0], () => {
      expect(currentRequestId()).toBe("req-12345678");
      logger.info("inside");
    });
    expect(JSON.parse(lines[0]!)).toMatchObject({ requestId: "req-12345678" });
  });

  it("keeps a well-formed incoming id and replaces anything else", () => {
    expect(requestIdFrom("abc-12345678")).toBe("abc-12345678");
    for (const bad of [null, "", "short", "has space 123456", "a".repeat(129), 'x\n{"level":"error"}'])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
