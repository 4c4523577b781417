import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import { addKeySpec } from "@/lib/keys/action-specs";
import { getRequestDetail } from "@/lib/usage/request-detail";
import type { RouteStrategyName } from "@/lib/routes/schemas";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import type { GatewayProcess } from "../support/gateway-process";
import { startGateways } from "./gateway-load-support";
import { letters, seedProvider, type Seeded } from "./test-calls-support";
import { seedGatewayKey, type SeededGatewayKey } from "./gateway-support";

// Routing and resilience (issue #14) through real gateway processes: a route's targets are tried
// in order, retried honouring Retry-After within the deadline, never past a bad request, a
// refusal or the first streamed byte; a context overflow only moves to a larger window; load
// balance follows the weights; a dead target cools down across instances and is probed back;
// a refused provider key leaves the rotation, flagged and audited; /v1/embeddings and /v1/messages
// go through the same attempts.

let fake: FakeProvider;
let scripted: Scripted;
let gateways: GatewayProcess[];
let gateway: GatewayProcess;
let admin: Actor;
let caller: SeededGatewayKey;

// ---- a provider whose answers the test writes (the fake has no 400 or context-length answer) ----

type Scripted = { url: string; count: (model: string) => number; dead: Set<string>; close: () => Promise<void> };

const BAD_REQUEST = {
  error: {
    message: "Invalid value for 'temperature': must be at most 2.",
    type: "invalid_request_error",
    param: "temperature",
    code: "invalid_value",
  },
};
const REFUSAL = {
  error: {
    message:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
    type: null,
    param: "prompt",
    code: "content_filter",
  },
};
const TOO_LONG = {
  error: {
    message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
    type: "invalid_request_error",
    param: "messages",
    code: "context_length_exceeded",
  },
};

// A prompt the scripted "window-" models find over their context window.
const OVER_LONG = "over-long-prompt";

function completion(model: string) {
  return {
    id: `chatcmpl-${letters()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "scripted answer" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  };
}

async function startScripted(): Promise<Scripted> {
  const counts = new Map<string, number>();
  const dead = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      let model = "";
      try {
        model = String((JSON.parse(body) as { model?: unknown }).model ?? "");
      } catch {
        model = "";
      }
      const overLong = body.includes(OVER_LONG);
      counts.set(model, (counts.get(model) ?? 0) + 1);
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (model.startsWith("badrequest")) return send(400, BAD_REQUEST);
      if (model.startsWith("refusal")) return send(400, REFUSAL);
      if (model.startsWith("toolong") || (model.startsWith("window") && overLong)) return send(400, TOO_LONG);
      if (model.startsWith("later") && (counts.get(model) ?? 0) === 1) {
        // Retry-After as an HTTP date (RFC 9110 allows either form), two seconds ahead.
        res.writeHead(429, {
          "content-type": "application/json",
          "retry-after": new Date(Date.now() + 2000).toUTCString(),
        });
        return res.end(
          JSON.stringify({ error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }),
        );
      }
      if (dead.has(model)) return send(500, { error: { message: "internal error", type: "server_error" } });
      return send(200, completion(model));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (model) => counts.get(model) ?? 0,
    dead,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- seeding ----

type Target = Seeded & { model: string };

/** A provider on `url` offering one model; letters keep the name free of fake behaviours. */
async function target(
  model: string,
  url = fake.url,
  options: { contextWindow?: number } = {},
  kind = "openai",
): Promise<Target> {
  const seeded = await seedProvider(admin, url, kind, { model });
  if (options.contextWindow !== undefined)
    await db.model.update({ where: { id: seeded.modelId }, data: { contextWindow: options.contextWindow } });
  return { ...seeded, model };
}

type RouteOptions = {
  strategy?: RouteStrategyName;
  weights?: number[];
  retries?: number;
  deadlineMs?: number;
  cooldownFailures?: number;
  cooldownSeconds?: number;
};

async function seedRoute(targets: Target[], options: RouteOptions = {}): Promise<{ id: string; name: string }> {
  const name = `route-${letters()}`;
  const route = await db.route.create({ data: { name }, select: { id: true } });
  await db.routeVersion.create({
    data: {
      routeId: route.id,
      version: 1,
      strategy: options.strategy ?? "FALLBACK",
      groups: [
        {
          targets: targets.map((t, i) => ({
            providerId: t.providerId,
            modelId: t.modelId,
            weight: options.weights?.[i] ?? 1,
            params: {},
          })),
        },
      ],
      retries: options.retries ?? 1,
      deadlineMs: options.deadlineMs ?? 20_000,
      cooldownFailures: options.cooldownFailures ?? 100,
      cooldownSeconds: options.cooldownSeconds ?? 30,
    },
  });
  return { id: route.id, name };
}

// ---- calls ----

type Answer = { status: number; text: string; json: Record<string, unknown> | null; requestId: string | null };

async function chat(
  model: string,
  options: { stream?: boolean; via?: GatewayProcess; prompt?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${(options.via ?? gateway).url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${caller.key}` },
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: options.prompt ?? "Hello there" }],
      ...(options.stream ? { stream: true } : {}),
    }),
  });
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: response.status, text, json, requestId: response.headers.get("x-request-id") };
}

const fakeCount = (model: string) => fake.requests.filter((r) => r.model === model).length;

async function recordOf(requestId: string) {
  const until = Date.now() + 10_000;
  for (;;) {
    const row = await db.usageRecord.findFirst({ where: { source: "GATEWAY", clientRecordId: requestId } });
    if (row || Date.now() > until) return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const attemptsOf = (requestId: string) =>
  db.gatewayAttempt.findMany({ where: { requestId }, orderBy: { attempt: "asc" } });

function sseData(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice(6).trim());
}

// ---- fixtures: everything is seeded before the gateways start, so they load it at once ----

const seeded: Record<string, { route: { id: string; name: string }; targets: Target[] }> = {};

async function fixture(key: string, targets: Target[], options?: RouteOptions) {
  seeded[key] = { route: await seedRoute(targets, options), targets };
}

const COOLDOWN_FAILURES = 2;
const COOLDOWN_SECONDS = 3;

beforeAll(async () => {
  fake = await startFakeProvider();
  scripted = await startScripted();
  admin = await createActor("ADMIN");
  caller = await seedGatewayKey();

  await fixture("fallback", [await target(`gpt-fake-500-${letters()}`), await target(`okb-${letters()}`)], {
    retries: 1,
  });
  await fixture("badRequest", [
    await target(`badrequest-${letters()}`, scripted.url),
    await target(`okb-${letters()}`),
  ]);
  await fixture("refusal", [await target(`refusal-${letters()}`, scripted.url), await target(`okb-${letters()}`)]);
  await fixture(
    "retryAfter",
    [await target(`gpt-fake-429x1-retry-after-1-${letters()}`), await target(`okb-${letters()}`)],
    { retries: 1, deadlineMs: 20_000 },
  );
  await fixture(
    "retryAfterDate",
    [await target(`later-${letters()}`, scripted.url), await target(`okb-${letters()}`)],
    {
      retries: 1,
      deadlineMs: 20_000,
    },
  );
  await fixture(
    "shortDeadline",
    [await target(`gpt-fake-429-retry-after-5-${letters()}`), await target(`okb-${letters()}`)],
    { retries: 2, deadlineMs: 2_000 },
  );
  await fixture("streamBefore", [await target(`gpt-fake-500-${letters()}`), await target(`okb-${letters()}`)]);
  await fixture("streamAfter", [await target(`gpt-fake-close-${letters()}`), await target(`okb-${letters()}`)]);
  await fixture("context", [
    await target(`toolong-${letters()}`, scripted.url, { contextWindow: 8192 }),
    await target(`small-${letters()}`, scripted.url, { contextWindow: 4096 }),
    await target(`same-${letters()}`, scripted.url, { contextWindow: 8192 }),
    await target(`large-${letters()}`, scripted.url, { contextWindow: 32768 }),
  ]);
  await fixture(
    "contextHealth",
    [
      await target(`window-${letters()}`, scripted.url, { contextWindow: 8192 }),
      await target(`large-${letters()}`, scripted.url, { contextWindow: 32768 }),
    ],
    { cooldownFailures: COOLDOWN_FAILURES, cooldownSeconds: 60 },
  );
  await fixture("balance", [await target(`lba-${letters()}`), await target(`lbb-${letters()}`)], {
    strategy: "LOAD_BALANCE",
    weights: [3, 1],
    retries: 0,
  });
  const dead = await target(`dead-${letters()}`, scripted.url);
  scripted.dead.add(dead.model);
  await fixture("cooldown", [dead, await target(`okb-${letters()}`)], {
    retries: 0,
    cooldownFailures: COOLDOWN_FAILURES,
    cooldownSeconds: COOLDOWN_SECONDS,
  });

  await fixture("embeddings", [await target(`embed-fake-500-${letters()}`), await target(`okb-embed-${letters()}`)], {
    retries: 1,
  });
  await fixture(
    "messages",
    [
      await target(`claude-fake-500-${letters()}`, fake.url, {}, "anthropic"),
      await target(`okb-claude-${letters()}`, fake.url, {}, "anthropic"),
    ],
    { retries: 1 },
  );

  gateways = await startGateways(2);
  gateway = gateways[0]!;
}, 240_000);

afterAll(async () => {
  for (const g of gateways ?? []) await g.stop();
  await scripted?.close();
  await fake?.close();
});

describe("fallback", () => {
  it("a failing first target falls back to the next: every answer from B, A's failed attempts then B's success recorded with the usage record", async () => {
    const { route, targets } = seeded.fallback!;
    const [a, b] = targets as [Target, Target];
    for (let i = 0; i < 4; i += 1) {
      const answer = await chat(route.name);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.requestId).toBeTruthy();
      const record = await recordOf(answer.requestId!);
      expect(record).toMatchObject({ providerId: b.providerId, modelId: b.modelId, routeId: route.id, status: "OK" });
      const attempts = await attemptsOf(answer.requestId!);
      // retries 1: A twice, then B once.
      expect(attempts.map((x) => x.providerId)).toEqual([a.providerId, a.providerId, b.providerId]);
      expect(attempts.map((x) => x.modelId)).toEqual([a.modelId, a.modelId, b.modelId]);
      expect(attempts[0]!.errorClass).toBeTruthy();
      expect(attempts[1]!.errorClass).toBeTruthy();
      expect(attempts[2]!.errorClass).toBeNull();
      expect(attempts[2]!.httpStatus).toBe(200);
    }
    expect(fakeCount(a.model)).toBe(8);
    expect(fakeCount(b.model)).toBe(4);
  });

  it("never falls back past a bad request or a content refusal: the caller gets A's 400 and B is never called", async () => {
    for (const key of ["badRequest", "refusal"]) {
      const { route, targets } = seeded[key]!;
      const [a, b] = targets as [Target, Target];
      const answer = await chat(route.name);
      expect(answer.status, answer.text).toBe(400);
      const expected = key === "badRequest" ? BAD_REQUEST : REFUSAL;
      expect((answer.json as { error: { message: string } }).error.message).toContain(
        expected.error.message.slice(0, 40),
      );
      expect(scripted.count(a.model), key).toBe(1);
      expect(fakeCount(b.model), key).toBe(0);
    }
  });
});

describe("retries", () => {
  it("honours Retry-After: A is retried no sooner than the provider asked and answers", async () => {
    const { route, targets } = seeded.retryAfter!;
    const [a, b] = targets as [Target, Target];
    const answer = await chat(route.name);
    expect(answer.status, answer.text).toBe(200);
    const calls = fake.requests.filter((r) => r.model === a.model);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(fakeCount(b.model)).toBe(0);
    const record = await recordOf(answer.requestId!);
    expect(record).toMatchObject({ providerId: a.providerId, routeId: route.id });
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    const { route, targets } = seeded.retryAfterDate!;
    const [a, b] = targets as [Target, Target];
    const started = Date.now();
    const answer = await chat(route.name);
    expect(answer.status, answer.text).toBe(200);
    expect(scripted.count(a.model)).toBe(2);
    expect(fakeCount(b.model)).toBe(0);
    // The date is two seconds ahead at whole-second precision: at least one second's wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("a deadline shorter than Retry-After falls back to B at once instead of waiting", async () => {
    const { route, targets } = seeded.shortDeadline!;
    const [a, b] = targets as [Target, Target];
    const answer = await chat(route.name);
    expect(answer.status, answer.text).toBe(200);
    expect(fakeCount(a.model)).toBe(1);
    expect(fakeCount(b.model)).toBe(1);
    const record = await recordOf(answer.requestId!);
    expect(record).toMatchObject({ providerId: b.providerId, routeId: route.id });
  });
});

describe("streams", () => {
  it("a failure before the first byte falls back to B, whose stream arrives complete", async () => {
    const { route, targets } = seeded.streamBefore!;
    const [a, b] = targets as [Target, Target];
    const answer = await chat(route.name, { stream: true });
    expect(answer.status).toBe(200);
    const data = sseData(answer.text);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>);
    expect(chunks.some((c) => "error" in c)).toBe(false);
    const content = chunks
      .flatMap((c) => (c.choices as { delta?: { content?: string } }[] | undefined) ?? [])
      .map((c) => c.delta?.content ?? "")
      .join("");
    // The fake's fixed reply is 11 word tokens.
    expect(content.trim().split(/\s+/)).toHaveLength(11);
    // retries 1: A twice before B.
    expect(fakeCount(a.model)).toBe(2);
    expect(fakeCount(b.model)).toBe(1);
    const record = await recordOf(answer.requestId!);
    expect(record).toMatchObject({ providerId: b.providerId, status: "OK" });
  });

  it("a stream that dies after its first token ends with an error event, and B is never called", async () => {
    const { route, targets } = seeded.streamAfter!;
    const [a, b] = targets as [Target, Target];
    const answer = await chat(route.name, { stream: true });
    expect(answer.status).toBe(200);
    const data = sseData(answer.text);
    expect(data.length).toBeGreaterThanOrEqual(2);
    const last = JSON.parse(data.at(-1)!) as Record<string, unknown>;
    expect(last).toHaveProperty("error");
    expect(data).not.toContain("[DONE]");
    expect(fakeCount(a.model)).toBe(1);
    expect(fakeCount(b.model)).toBe(0);
    const record = await recordOf(answer.requestId!);
    expect(record).toMatchObject({ providerId: a.providerId, status: "ERROR" });
  });
});

describe("context window", () => {
  it("a context-length 400 falls back only to a target with a larger window, skipping smaller and equal ones", async () => {
    const { route, targets } = seeded.context!;
    const [tooLong, small, same, large] = targets as [Target, Target, Target, Target];
    const answer = await chat(route.name);
    expect(answer.status, answer.text).toBe(200);
    expect(scripted.count(tooLong.model)).toBe(1);
    expect(scripted.count(small.model)).toBe(0);
    expect(scripted.count(same.model)).toBe(0);
    expect(scripted.count(large.model)).toBe(1);
    const record = await recordOf(answer.requestId!);
    expect(record).toMatchObject({ providerId: large.providerId, modelId: large.modelId });
  });

  it("a prompt over a target's window is the request's fault, not the target's: it does not cool the target down", async () => {
    const { route, targets } = seeded.contextHealth!;
    const [window, large] = targets as [Target, Target];
    for (let i = 0; i < COOLDOWN_FAILURES + 1; i += 1) {
      const answer = await chat(route.name, { prompt: `${OVER_LONG} ${i}` });
      expect(answer.status, answer.text).toBe(200);
    }
    expect(scripted.count(large.model)).toBe(COOLDOWN_FAILURES + 1);
    // Past the cooldown threshold in overflows, a prompt that fits still goes to the first target.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answer = await chat(route.name);
    expect(answer.status, answer.text).toBe(200);
    expect(scripted.count(window.model)).toBe(COOLDOWN_FAILURES + 2);
    expect(scripted.count(large.model)).toBe(COOLDOWN_FAILURES + 1);
  });
});

describe("load balance", () => {
  it("weights 3:1 over 400 requests: shares within 4 sigma of the binomial expectation", async () => {
    const { route, targets } = seeded.balance!;
    const [a, b] = targets as [Target, Target];
    const total = 400;
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          next += 1;
          statuses.push((await chat(route.name)).status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const p = 3 / 4;
    const sigma = Math.sqrt(total * p * (1 - p));
    const countA = fakeCount(a.model);
    expect(countA + fakeCount(b.model)).toBe(total);
    expect(Math.abs(countA - total * p)).toBeLessThanOrEqual(4 * sigma);
  });
});

describe("cooldowns across instances", () => {
  it("a dead target gets its failures, then one probe per cooldown across both instances; the application sees no failure; revived, it takes traffic again", async () => {
    const { route, targets } = seeded.cooldown!;
    const [a, b] = targets as [Target, Target];
    const started = Date.now();
    const failed: string[] = [];
    let sent = 0;
    // Steady traffic, one request at a time, alternating instances.
    while (Date.now() - started < 10_000) {
      const answer = await chat(route.name, { via: gateways[sent % 2] });
      sent += 1;
      if (answer.status !== 200) failed.push(answer.text);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(failed).toEqual([]);
    expect(fakeCount(b.model)).toBeGreaterThan(0);
    // retries 0: the failures that open the cooldown, then at most one probe per window.
    const bound = COOLDOWN_FAILURES + Math.ceil(elapsedSeconds / COOLDOWN_SECONDS);
    expect(scripted.count(a.model)).toBeGreaterThanOrEqual(COOLDOWN_FAILURES);
    expect(scripted.count(a.model)).toBeLessThanOrEqual(bound);
    expect(sent).toBeGreaterThan(bound * 3);

    // Revived: a probe succeeds within a window, then both instances send A the traffic.
    scripted.dead.delete(a.model);
    const reviveBy = Date.now() + (COOLDOWN_SECONDS + 5) * 1000;
    let answeredByA = false;
    while (!answeredByA && Date.now() < reviveBy) {
      const answer = await chat(route.name, { via: gateways[sent % 2] });
      sent += 1;
      expect(answer.status, answer.text).toBe(200);
      answeredByA =
        (answer.json as { choices: { message: { content: string } }[] }).choices[0]!.message.content ===
        "scripted answer";
      if (!answeredByA) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answeredByA).toBe(true);
    // Give the other instance's snapshot a refresh, then every request goes to A.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bBefore = fakeCount(b.model);
    const aBefore = scripted.count(a.model);
    for (let i = 0; i < 10; i += 1) {
      const answer = await chat(route.name, { via: gateways[i % 2] });
      expect(answer.status, answer.text).toBe(200);
    }
    expect(scripted.count(a.model) - aBefore).toBe(10);
    expect(fakeCount(b.model)).toBe(bBefore);
  }, 40_000);
});

describe("embeddings and messages", () => {
  it("/v1/embeddings goes through the route: A's 500s are retried, then B answers; both attempts kept with the record", async () => {
    const { route, targets } = seeded.embeddings!;
    const [a, b] = targets as [Target, Target];
    const response = await fetch(`${gateway.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${caller.key}` },
      body: JSON.stringify({ model: route.name, input: ["one", "two"] }),
    });
    const body = (await response.json()) as { data?: { embedding: number[] }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.data).toHaveLength(2);
    const requestId = response.headers.get("x-request-id")!;
    const record = await recordOf(requestId);
    expect(record).toMatchObject({ providerId: b.providerId, modelId: b.modelId, routeId: route.id, status: "OK" });
    const attempts = await attemptsOf(requestId);
    expect(attempts.map((x) => [x.modelId, x.httpStatus])).toEqual([
      [a.modelId, 502],
      [a.modelId, 502],
      [b.modelId, 200],
    ]);
  });

  it("/v1/messages goes through the route: A's 500 falls back to B, streamed or not, in Anthropic's shape", async () => {
    const { route, targets } = seeded.messages!;
    const [a, b] = targets as [Target, Target];
    const call = (stream: boolean) =>
      fetch(`${gateway.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": caller.key, "anthropic-version": "2023-06-01" },
        body: JSON.stringify({
          model: route.name,
          max_tokens: 20,
          messages: [{ role: "user", content: "Hello" }],
          stream,
        }),
      });
    const plain = await call(false);
    const json = (await plain.json()) as { type?: string; content?: { text: string }[] };
    expect(plain.status, JSON.stringify(json)).toBe(200);
    expect(json.type).toBe("message");
    expect(json.content?.[0]?.text).toBeTruthy();
    const streamed = await call(true);
    expect(streamed.status).toBe(200);
    const events = await streamed.text();
    expect(events).toContain("event: message_stop");
    expect(events).not.toContain("event: error");
    for (const response of [plain, streamed]) {
      const requestId = response.headers.get("request-id")!;
      const record = await recordOf(requestId);
      expect(record).toMatchObject({ providerId: b.providerId, routeId: route.id, status: "OK" });
      const attempts = await attemptsOf(requestId);
      expect(attempts.map((x) => x.modelId)).toEqual([a.modelId, a.modelId, b.modelId]);
    }
    expect(fakeCount(a.model)).toBe(4);
  });
});

describe("provider key rotation", () => {
  it("a refused key leaves the rotation, flagged and audited, while every request succeeds with the other key", async () => {
    const provider = await seedProvider(admin, fake.url, "openai", {
      model: `rot-${letters()}`,
      apiKey: `fake-401-${letters()}`,
    });
    const added = await executeAction(addKeySpec, admin, {
      providerId: provider.providerId,
      label: `good-${letters()}`,
      apiKey: `sk-fake-${letters()}${letters()}`,
    });
    expect(added.ok, added.message).toBe(true);
    const goodKeyId = (added.data as { keyId: string }).keyId;
    const model = (await db.model.findUniqueOrThrow({ where: { id: provider.modelId } })).modelId;
    const slug = (await db.provider.findUniqueOrThrow({ where: { id: provider.providerId } })).slug;
    // The new provider reaches the gateways' catalogs within their refresh.
    const until = Date.now() + 10_000;
    let first = await chat(`${slug}/${model}`);
    while (first.status === 404 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      first = await chat(`${slug}/${model}`);
    }
    const answers = [first];
    for (let i = 0; i < 5; i += 1) answers.push(await chat(`${slug}/${model}`));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const answer of answers) {
      const record = await recordOf(answer.requestId!);
      expect(record).toMatchObject({ providerId: provider.providerId, keyId: goodKeyId, status: "OK" });
    }
    // Never silently: the refused key's attempt is kept with the request that made it.
    const attempts = await db.gatewayAttempt.findMany({
      where: { requestId: { in: answers.map((a) => a.requestId!) }, keyId: provider.keyId! },
    });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.errorClass).toBe("upstream_auth");
    const refused = await db.providerKey.findUniqueOrThrow({ where: { id: provider.keyId! } });
    expect(refused.outOfRotationAt).not.toBeNull();
    const good = await db.providerKey.findUniqueOrThrow({ where: { id: goodKeyId } });
    expect(good.outOfRotationAt).toBeNull();
    const audit = await db.auditEvent.findMany({ where: { action: "key.out_of_rotation", targetId: provider.keyId! } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain("fake-401");
    // ...and announced, once, without the key.
    const announced = await db.notificationOutbox.findMany({
      where: {
        kind: "provider_key.out_of_rotation",
        dedupeKey: { startsWith: `provider_key.out_of_rotation:${provider.keyId}:` },
      },
    });
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ severity: "CRITICAL", payload: { provider_id: provider.providerId } });
    expect(JSON.stringify(announced[0]!.payload)).not.toContain(provider.apiKey);
  });
});

describe("attempts kept", () => {
  it("a direct call's single attempt is not stored apart: its record shows it; a route's one attempt is stored", async () => {
    const direct = await seedProvider(admin, fake.url, "openai", { model: `direct-${letters()}` });
    const slug = (await db.provider.findUniqueOrThrow({ where: { id: direct.providerId } })).slug;
    const model = (await db.model.findUniqueOrThrow({ where: { id: direct.modelId } })).modelId;
    const until = Date.now() + 10_000;
    let answer = await chat(`${slug}/${model}`);
    while (answer.status === 404 && Date.now() < until) answer = await chat(`${slug}/${model}`);
    expect(answer.status).toBe(200);
    const record = await recordOf(answer.requestId!);
    expect(record).toMatchObject({ providerId: direct.providerId, status: "OK" });
    expect(await attemptsOf(answer.requestId!)).toEqual([]);
    const detail = await getRequestDetail(answer.requestId!);
    expect(detail!.attempts.map((a) => [a.attempt, a.modelName, a.httpStatus, a.errorClass])).toEqual([
      [1, model, 200, null],
    ]);

    const routed = await chat(seeded.balance!.route.name);
    expect(routed.status).toBe(200);
    await recordOf(routed.requestId!);
    expect(await attemptsOf(routed.requestId!)).toHaveLength(1);
  });
});
