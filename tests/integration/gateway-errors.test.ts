import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { UPSTREAM_ERROR_CLASSES } from "@/lib/gateway/formats/openai/errors";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider, type Seeded } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey, type SeededGatewayKey } from "./gateway-support";

// The gateway's error contract: callers' mistakes are 4xx in their API's shape (never a 500),
// provider failures are classed into the statuses of UPSTREAM_ERROR_CLASSES, and nothing secret
// crosses: no provider key in an answer, no caller credential or cookie at the provider, no
// request that picks where the gateway connects.

const MAX_BODY_BYTES = 4096;
const HEADERS_TIMEOUT_MS = 1500;

type Target = Seeded & { kind: string; name: string };

let fake: FakeProvider;
let gateway: GatewayProcess;
let admin: Actor;
const targets: Record<string, Target> = {};
// A provider of its own for every failure case: a failure may cool a provider down or take its
// key out of rotation, which must not leak into the next case.
const failing: Record<string, Target> = {};
const refused: Target[] = [];

async function seed(kind: string, baseUrl = fake.url): Promise<Target> {
  const seeded = await seedProvider(admin, baseUrl, kind);
  return { ...seeded, kind, name: `${await providerSlug(seeded.providerId)}/fake-small` };
}

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  for (const kind of ["openai", "anthropic", "google"]) targets[kind] = await seed(kind);
  for (const c of UPSTREAM_CASES) {
    for (const kind of ["openai", "anthropic", "google"]) failing[`chat:${kind}:${c.marker}`] = await seed(kind);
    failing[`messages:${c.marker}`] = await seed("anthropic");
    for (const kind of ["openai", "google"]) failing[`embeddings:${kind}:${c.marker}`] = await seed(kind);
  }
  for (const marker of ["429", "401", "503"]) failing[`sdk:${marker}`] = await seed("openai");
  for (let i = 0; i < 2; i += 1) refused.push(await seed("openai", await closedPortUrl()));
  gateway = await startGatewayProcess({
    GATEWAY_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    GATEWAY_UPSTREAM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

type Answer = { status: number; text: string; json: unknown; headers: Headers };

async function send(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, json, headers: response.headers };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const chat = (model: string, content = "Hello there") => ({ model, messages: [{ role: "user", content }] });
const message = (model: string, content = "Hello there") => ({
  model,
  max_tokens: 32,
  messages: [{ role: "user", content }],
});

function expectOpenAIError(answer: Answer, status: number, type?: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ error: { message: expect.any(String), type: type ?? expect.any(String) } });
  const error = (answer.json as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(["code", "message", "param", "type"]);
}

function expectAnthropicError(answer: Answer, status: number, type?: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({
    type: "error",
    error: { type: type ?? expect.any(String), message: expect.any(String) },
  });
}

describe("caller errors", () => {
  it("401 for a missing, unknown, revoked or expired key, in OpenAI's shape and Anthropic's on /v1/messages", async () => {
    const revoked = await seedGatewayKey();
    await db.gatewayKey.update({ where: { id: revoked.id }, data: { status: "REVOKED", revokedAt: new Date() } });
    const expired = await seedGatewayKey({ expiresAt: new Date(Date.now() - 60_000) });
    const cases: [string, Record<string, string>][] = [
      ["missing", {}],
      ["unknown", bearer(`pcgw-${letters()}${letters()}${letters()}`)],
      ["not a gateway key", bearer("sk-fake-looks-like-a-provider-key")],
      ["revoked", bearer(revoked.key)],
      ["expired", bearer(expired.key)],
    ];
    const before = fake.count();
    for (const [what, headers] of cases) {
      const openai = await send("/v1/chat/completions", chat(targets.openai!.name), headers);
      expectOpenAIError(openai, 401, "authentication_error");
      const embeddings = await send("/v1/embeddings", { model: targets.openai!.name, input: "x" }, headers);
      expectOpenAIError(embeddings, 401, "authentication_error");
      const anthropicHeaders: Record<string, string> = headers.authorization
        ? { "x-api-key": headers.authorization.replace("Bearer ", "") }
        : {};
      const anthropic = await send("/v1/messages", message(targets.anthropic!.name), anthropicHeaders);
      expectAnthropicError(anthropic, 401, "authentication_error");
      const models = await fetch(`${gateway.url}/v1/models`, { headers });
      expect(models.status, what).toBe(401);
    }
    expect(fake.count()).toBe(before);
    for (const key of [revoked, expired])
      expect(await db.usageRecord.count({ where: { gatewayKeyId: key.id } })).toBe(0);
  });

  it("403 for a model the key may not call, 404 for a model that does not exist", async () => {
    const key = await seedGatewayKey({ allowedModels: [targets.google!.name] });
    const before = fake.count();
    const forbidden = await send("/v1/chat/completions", chat(targets.openai!.name), bearer(key.key));
    expectOpenAIError(forbidden, 403, "permission_error");
    expect(forbidden.json).toMatchObject({ error: { code: "model_not_allowed", param: "model" } });
    expectAnthropicError(
      await send("/v1/messages", message(targets.anthropic!.name), { "x-api-key": key.key }),
      403,
      "permission_error",
    );
    // Each refusal of a known model is a usage record of the key, against that model.
    const refusals = await gatewayUsageOf(key.id, 2);
    const seen = refusals.map((r) => ({ model: r.modelId, status: r.status, http: r.httpStatus, error: r.errorClass }));
    const byModel = (a: { model: string | null }, b: { model: string | null }) =>
      String(a.model).localeCompare(String(b.model));
    expect(seen.sort(byModel)).toEqual(
      [
        { model: targets.openai!.modelId, status: "ERROR", http: 403, error: "model_not_allowed" },
        { model: targets.anthropic!.modelId, status: "ERROR", http: 403, error: "model_not_allowed" },
      ].sort(byModel),
    );
    const open = await seedGatewayKey();
    const unknown = await send("/v1/chat/completions", chat("no-such-provider/no-such-model"), bearer(open.key));
    expectOpenAIError(unknown, 404, "not_found_error");
    expect(unknown.json).toMatchObject({ error: { code: "model_not_found" } });
    expectOpenAIError(
      await send("/v1/embeddings", { model: "nothing-like-this", input: "x" }, bearer(open.key)),
      404,
      "not_found_error",
    );
    expectAnthropicError(
      await send("/v1/messages", message("no-such-provider/no-such-model"), { "x-api-key": open.key }),
      404,
      "not_found_error",
    );
    expect(fake.count()).toBe(before);
    // A model that does not exist has nothing to record against.
    expect(await gatewayUsageOf(open.id, 1, 1_000)).toEqual([]);
  });

  it("413 for a body over GATEWAY_MAX_BODY_BYTES, declared or streamed in chunks", async () => {
    const key = await seedGatewayKey();
    const before = fake.count();
    const big = chat(targets.openai!.name, "x".repeat(MAX_BODY_BYTES));
    const declared = await send("/v1/chat/completions", big, bearer(key.key));
    expectOpenAIError(declared, 413, "invalid_request_error");
    expect(declared.json).toMatchObject({ error: { code: "request_too_large" } });
    expectAnthropicError(
      await send("/v1/messages", message(targets.anthropic!.name, "x".repeat(MAX_BODY_BYTES)), {
        "x-api-key": key.key,
      }),
      413,
    );
    // Without a content-length the limit is counted as the body arrives.
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        `${gateway.url}/v1/chat/completions`,
        { method: "POST", headers: { "content-type": "application/json", ...bearer(key.key) } },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on("error", reject);
      const body = JSON.stringify(big);
      for (let i = 0; i < body.length; i += 1000) request.write(body.slice(i, i + 1000));
      request.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text)).toMatchObject({ error: { code: "request_too_large" } });
    expect(fake.count()).toBe(before);
  });

  it("400 for invalid JSON and invalid bodies, never a 500", async () => {
    const key = await seedGatewayKey();
    const auth = bearer(key.key);
    const name = targets.openai!.name;
    const before = fake.count();
    const chatBodies: unknown[] = [
      "{not json",
      "",
      "null",
      "[]",
      '"a string"',
      "42",
      {},
      { model: 42, messages: [] },
      { model: name },
      { model: name, messages: "hello" },
      { model: name, messages: [{ role: "wizard", content: "hi" }] },
      { model: name, messages: [{ role: "user", content: 42 }] },
      { model: name, messages: [{ role: "user", content: "hi" }], max_tokens: -1 },
      { model: name, messages: [{ role: "user", content: "hi" }], temperature: "hot" },
      { model: name, messages: [{ role: "user", content: "hi" }], tools: "none" },
      { model: name, messages: [{ role: "user", content: "hi" }], stream: "yes" },
      { model: targets.anthropic!.name, messages: [{ role: "user", content: "hi" }], n: 3 },
    ];
    for (const body of chatBodies) {
      const answer = await send("/v1/chat/completions", body, auth);
      expectOpenAIError(answer, 400, "invalid_request_error");
    }
    for (const body of [
      "{not json",
      "null",
      {},
      { model: name },
      { model: name, input: {} },
      { model: name, input: [] },
    ]) {
      expectOpenAIError(await send("/v1/embeddings", body, auth), 400, "invalid_request_error");
    }
    const anthropicAuth = { "x-api-key": key.key };
    for (const body of [
      "{not json",
      "null",
      { model: targets.anthropic!.name },
      { model: targets.anthropic!.name, messages: [{ role: "user", content: "hi" }] },
      { model: targets.anthropic!.name, messages: "hi", max_tokens: 5 },
    ]) {
      expectAnthropicError(await send("/v1/messages", body, anthropicAuth), 400, "invalid_request_error");
    }
    expect(fake.count()).toBe(before);
  });
});

// Each provider failure, by its fake behaviour, and what the caller must see: the status and code
// pinned here (the contract), checked against UPSTREAM_ERROR_CLASSES so the two cannot drift.
const UPSTREAM_CASES = [
  { what: "429", marker: "429", status: 429, errorClass: "rate_limited" },
  { what: "500", marker: "500", status: 502, errorClass: "upstream_server" },
  { what: "503", marker: "503", status: 503, errorClass: "overloaded" },
  { what: "401 (the console's provider key refused)", marker: "401", status: 502, errorClass: "upstream_auth" },
  { what: "no answer (headers timeout)", marker: "hang", status: 504, errorClass: "timeout" },
] as const;

// A provider refusing the console's key is a 502 either way; the gateway may say so directly or,
// having taken that key out of rotation and found no other, as "no usable key".
const AUTH_CODES = [UPSTREAM_ERROR_CLASSES.upstream_auth.code, "provider_key_unavailable"];
const AUTH_RECORD_CLASSES = ["upstream_auth", "no_usable_key"];

function expectClassCode(answer: Answer, errorClass: keyof typeof UPSTREAM_ERROR_CLASSES) {
  const error = (answer.json as { error: { code: string; type: string } }).error;
  expect(error.type).toBe(UPSTREAM_ERROR_CLASSES[errorClass].type);
  if (errorClass === "upstream_auth") expect(AUTH_CODES).toContain(error.code);
  else expect(error.code).toBe(UPSTREAM_ERROR_CLASSES[errorClass].code);
}

async function expectErrorRecord(key: SeededGatewayKey, target: Target, status: number, errorClass: string) {
  const rows = await gatewayUsageOf(key.id, 1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    source: "GATEWAY",
    status: "ERROR",
    providerId: target.providerId,
    modelId: target.modelId,
    httpStatus: status,
  });
  if (errorClass === "upstream_auth") expect(AUTH_RECORD_CLASSES).toContain(rows[0]!.errorClass);
  else expect(rows[0]!.errorClass).toBe(errorClass);
}

describe("provider failures", () => {
  it("the pinned statuses are UPSTREAM_ERROR_CLASSES'", () => {
    for (const c of UPSTREAM_CASES) expect(UPSTREAM_ERROR_CLASSES[c.errorClass].status).toBe(c.status);
    expect(UPSTREAM_ERROR_CLASSES.upstream_server.status).toBe(502);
  });

  for (const kind of ["openai", "anthropic", "google"]) {
    for (const c of UPSTREAM_CASES) {
      it(`${kind} ${c.what} → ${c.status} on /v1/chat/completions, one ERROR record, no provider key`, async () => {
        const target = failing[`chat:${kind}:${c.marker}`]!;
        const key = await seedGatewayKey();
        const answer = await send(
          "/v1/chat/completions",
          chat(target.name, `Fail please [[fake:${c.marker} echo-key]]`),
          bearer(key.key),
        );
        expectOpenAIError(answer, c.status);
        expectClassCode(answer, c.errorClass);
        expect(answer.text).not.toContain(target.apiKey);
        // The provider's Retry-After (the fake sends 1) reaches the caller's SDK.
        if (c.status === 429) expect(answer.headers.get("retry-after")).toBe("1");
        await expectErrorRecord(key, target, c.status, c.errorClass);
      });
    }
  }

  for (const c of UPSTREAM_CASES) {
    it(`anthropic ${c.what} → ${c.status} on /v1/messages in Anthropic's shape, no provider key`, async () => {
      const target = failing[`messages:${c.marker}`]!;
      const key = await seedGatewayKey();
      const answer = await send("/v1/messages", message(target.name, `Fail [[fake:${c.marker} echo-key]]`), {
        "x-api-key": key.key,
      });
      expectAnthropicError(answer, c.status);
      expect(answer.text).not.toContain(target.apiKey);
      if (c.status === 429) expect(answer.headers.get("retry-after")).toBe("1");
      await expectErrorRecord(key, target, c.status, c.errorClass);
    });
  }

  it("embeddings: provider failures are classed the same and carry no key", async () => {
    for (const kind of ["openai", "google"]) {
      for (const c of UPSTREAM_CASES.filter((x) => x.marker !== "hang")) {
        const target = failing[`embeddings:${kind}:${c.marker}`]!;
        const key = await seedGatewayKey();
        const answer = await send(
          "/v1/embeddings",
          { model: target.name, input: `Fail [[fake:${c.marker} echo-key]]` },
          { ...bearer(key.key), "x-fake-behavior": "ignored" },
        );
        expectOpenAIError(answer, c.status);
        expect(answer.text).not.toContain(target.apiKey);
        await expectErrorRecord(key, target, c.status, c.errorClass);
      }
    }
  });

  it("a refused connection → 502 upstream_error, streamed or not, one record each", async () => {
    for (const [index, stream] of [false, true].entries()) {
      const target = refused[index]!;
      const key = await seedGatewayKey();
      const answer = await send("/v1/chat/completions", { ...chat(target.name), stream }, bearer(key.key));
      expectOpenAIError(answer, 502, "upstream_error");
      expect(answer.text).toContain("connection refused");
      await expectErrorRecord(key, target, 502, "upstream_server");
    }
  });

  it("a provider key the provider itself rejects (Gemini's 400 API key not valid, echoing it) → 502, key scrubbed", async () => {
    const wrong = await seedProvider(admin, fake.url, "google", { apiKey: `AIzaWrongKey${letters()}${letters()}xyz` });
    const name = `${await providerSlug(wrong.providerId)}/fake-small`;
    const key = await seedGatewayKey();
    const answer = await send("/v1/chat/completions", chat(name), bearer(key.key));
    expect(answer.text).not.toContain(wrong.apiKey);
    expectOpenAIError(answer, 502, "upstream_error");
    expectClassCode(answer, "upstream_auth");
  });

  it("the openai SDK sees the mapped statuses as its own error classes", async () => {
    const key = await seedGatewayKey();
    const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: key.key, maxRetries: 0 });
    const call = (marker: string) =>
      client.chat.completions
        .create({ model: failing[`sdk:${marker}`]!.name, messages: [{ role: "user", content: `[[fake:${marker}]]` }] })
        .catch((e: unknown) => e);
    expect(await call("429")).toBeInstanceOf(OpenAI.RateLimitError);
    expect(await call("401")).toBeInstanceOf(OpenAI.InternalServerError);
    expect(((await call("503")) as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });
});

describe("what crosses the gateway", () => {
  it("the caller's Authorization, x-api-key, cookie and other headers never reach the provider", async () => {
    const key = await seedGatewayKey();
    const caller = {
      cookie: "next-auth.session-token=caller-session-cookie",
      "x-fake-behavior": "500",
      "x-forwarded-for": "203.0.113.9",
      "openai-organization": "org-caller",
    };
    const checks: { path: string; headers: Record<string, string>; body: unknown; route: string }[] = [
      {
        path: "/v1/chat/completions",
        headers: bearer(key.key),
        body: chat(targets.openai!.name),
        route: "openai.chat",
      },
      {
        path: "/v1/chat/completions",
        headers: bearer(key.key),
        body: { ...chat(targets.openai!.name), stream: true },
        route: "openai.chat",
      },
      {
        path: "/v1/chat/completions",
        headers: bearer(key.key),
        body: chat(targets.anthropic!.name),
        route: "anthropic.chat",
      },
      {
        path: "/v1/chat/completions",
        headers: bearer(key.key),
        body: chat(targets.google!.name),
        route: "gemini.chat",
      },
      {
        path: "/v1/embeddings",
        headers: bearer(key.key),
        body: { model: targets.openai!.name, input: "hi" },
        route: "openai.embeddings",
      },
      {
        path: "/v1/embeddings",
        headers: bearer(key.key),
        body: { model: targets.google!.name, input: "hi" },
        route: "gemini.embeddings",
      },
      {
        path: "/v1/messages",
        headers: { "x-api-key": key.key, authorization: `Bearer ${key.key}` },
        body: message(targets.anthropic!.name),
        route: "anthropic.chat",
      },
    ];
    for (const check of checks) {
      const before = fake.requests.length;
      const answer = await send(check.path, check.body, { ...caller, ...check.headers });
      expect(answer.status, `${check.path} ${check.route}: ${answer.text}`).toBe(200);
      const received = fake.requests.slice(before);
      expect(received.map((r) => r.route)).toEqual([check.route]);
      const headers = received[0]!.headers;
      const all = JSON.stringify(headers);
      expect(all).not.toContain(key.key);
      expect(all).not.toContain("caller-session-cookie");
      expect(all).not.toContain("org-caller");
      expect(all).not.toContain("203.0.113.9");
      expect(headers).not.toHaveProperty("cookie");
      expect(headers).not.toHaveProperty("x-fake-behavior");
      // The provider's own key is there, in the provider's header.
      expect(all).toContain("[provider key]");
    }
  });

  it("a model name cannot steer where the gateway connects: ../ and URLs are unknown models", async () => {
    const key = await seedGatewayKey();
    const slug = targets.openai!.name.split("/")[0]!;
    const names = [
      "../../etc/passwd",
      `${slug}/../fake-small`,
      `${slug}/fake-small/../../admin`,
      `${slug}/%2e%2e/fake-small`,
      `${slug}/fake-small?x=1`,
      `${slug}/fake-small#frag`,
      "http://127.0.0.1:1/v1",
      `${fake.url}/v1/fake-small`,
      `//127.0.0.1/${slug}/fake-small`,
      `${slug}/fake-small\r\nHost: evil`,
    ];
    const before = fake.count();
    for (const name of names) {
      expectOpenAIError(await send("/v1/chat/completions", chat(name), bearer(key.key)), 404, "not_found_error");
      expectOpenAIError(await send("/v1/embeddings", { model: name, input: "x" }, bearer(key.key)), 404);
      expectAnthropicError(await send("/v1/messages", message(name), { "x-api-key": key.key }), 404);
    }
    expect(fake.count()).toBe(before);
    // Unknown endpoints are 404 too, however the path is spelled.
    for (const path of ["/v1/chat/completions/x", "/v1/chat/completions%2f..", "/v1/files", "/api/chat"]) {
      const answer = await send(path, chat(targets.openai!.name), bearer(key.key));
      expect(answer.status, path).toBe(404);
    }
    expect(fake.count()).toBe(before);
  });
});
