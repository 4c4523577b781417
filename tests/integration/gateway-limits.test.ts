import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { pool } from "@/lib/db/client";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import type { GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider } from "./test-calls-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import {
  chat,
  counterOf,
  leaseCount,
  monthCost,
  recordCount,
  roomInMinute,
  runPool,
  startGateways,
  waitFor,
  type GatewayAnswer,
} from "./gateway-load-support";

// Per-key limits shared by every gateway instance: two processes over one PostgreSQL, and two
// more that count in Redis (REDIS_URL). Fresh keys each time (a Redis key per gateway key id), so
// runs never meet each other's counts and nothing global is flushed. A burst is started only with
// enough of the minute left that all of it falls in one window: after a minute boundary the sliding
// window blends in the previous minute, which is correct but not an exact count to assert.

const REDIS_URL = "redis://127.0.0.1:6379";

let fake: FakeProvider;
let admin: Actor;
let postgresPair: GatewayProcess[] = [];
let redisPair: GatewayProcess[] = [];
let fastModel = "";
let slowModel = "";
const FAST_UPSTREAM = `fake-${letters()}`;
const SLOW_UPSTREAM = `fake-slow-1500-${letters()}`;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  const fast = await seedProvider(admin, fake.url, "openai", { model: FAST_UPSTREAM });
  const slow = await seedProvider(admin, fake.url, "openai", { model: SLOW_UPSTREAM, timeoutMs: 10_000 });
  fastModel = `${await providerSlug(fast.providerId)}/${FAST_UPSTREAM}`;
  slowModel = `${await providerSlug(slow.providerId)}/${SLOW_UPSTREAM}`;
  postgresPair = await startGateways(2);
  redisPair = await startGateways(2, { REDIS_URL });
}, 240_000);

afterAll(async () => {
  await Promise.all([...postgresPair, ...redisPair].map((gateway) => gateway.stop()));
  await fake?.close();
});

async function windowRows(keyId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM gateway_key_windows WHERE gateway_key_id = $1::uuid",
    [keyId],
  );
  return Number(rows[0]!.n);
}

function expectRateRefusals(answers: GatewayAnswer[], words: RegExp) {
  for (const answer of answers.filter((a) => a.status !== 200)) {
    expect(answer.status).toBe(429);
    expect(answer.code).toBe("rate_limit_exceeded");
    expect(answer.message).toMatch(words);
    expect(answer.retryAfter).toMatch(/^[1-9]\d*$/);
  }
}

const pairs = [
  { name: "PostgreSQL", gateways: () => postgresPair, redis: false },
  { name: "Redis", gateways: () => redisPair, redis: true },
];

describe.each(pairs)("gateway per-key limits across two instances ($name)", ({ gateways, redis }) => {
  it("a 60 RPM key gets at most 60 requests a minute between two instances; the rest are 429 with Retry-After", async () => {
    const key = await seedGatewayKey({ rpmLimit: 60 });
    await roomInMinute(20_000);
    const answers = await runPool(100, 10, (index) => chat(gateways()[index % 2]!.url, key.key, fastModel));

    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok).toHaveLength(60);
    expect(answers.filter((answer, index) => answer.status === 200 && index % 2 === 0).length).toBeGreaterThan(0);
    expect(answers.filter((answer, index) => answer.status === 200 && index % 2 === 1).length).toBeGreaterThan(0);
    expectRateRefusals(answers, /requests per minute/);
    // Counted where configured: with Redis the PostgreSQL window row is never written.
    expect(await windowRows(key.id)).toBe(redis ? 0 : 1);
  }, 120_000);

  it("a TPM key stops admitting once the minute's tokens reach its limit", async () => {
    // A prompt the tokenizer counts high (about one token per two characters) while the fake bills
    // ceil(characters / 4): the admission's prompt estimate is never below what a request uses, so
    // the minute can pass the limit by at most the last admitted request.
    const prompt = Array(20).fill("a").join(" ");
    const maxTokens = 1;
    const perRequest = Math.ceil(prompt.length / 4) + maxTokens;
    const tpm = 100;
    const key = await seedGatewayKey({ tpmLimit: tpm });
    await roomInMinute(20_000);
    const answers: GatewayAnswer[] = [];
    for (let index = 0; index < 30; index += 1)
      answers.push(await chat(gateways()[index % 2]!.url, key.key, fastModel, { prompt, maxTokens }));

    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length).toBeLessThan(answers.length);
    expectRateRefusals(answers, /tokens per minute/);
    await waitFor(
      "every record",
      () => recordCount(key.id),
      (n) => n >= answers.length,
    );
    const { rows } = await pool.query<{ tokens: string }>(
      `SELECT coalesce(sum(input_tokens + output_tokens), 0)::text AS tokens FROM usage_records
        WHERE gateway_key_id = $1::uuid AND status = 'OK'`,
      [key.id],
    );
    expect(Number(rows[0]!.tokens)).toBe(ok.length * perRequest);
    expect(ok.length * perRequest).toBeLessThanOrEqual(tpm + perRequest);
  }, 120_000);

  it("max parallel 3: of 7 concurrent slow requests over both instances exactly 3 are admitted", async () => {
    const key = await seedGatewayKey({ maxParallel: 3 });
    const before = fake.requests.filter((r) => r.model === SLOW_UPSTREAM).length;
    const answers = await Promise.all(
      Array.from({ length: 7 }, (_, index) => chat(gateways()[index % 2]!.url, key.key, slowModel)),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    expectRateRefusals(answers, /parallel requests/);
    expect(fake.requests.filter((r) => r.model === SLOW_UPSTREAM).length - before).toBe(3);
  }, 60_000);

  it("a finished request frees its parallel slot at once: sequential requests with max parallel 1 all succeed", async () => {
    const key = await seedGatewayKey({ maxParallel: 1 });
    const statuses: number[] = [];
    for (let index = 0; index < 20; index += 1)
      statuses.push((await chat(gateways()[index % 2]!.url, key.key, fastModel)).status);
    expect(statuses).toEqual(Array(20).fill(200));
  }, 60_000);
});

async function claimsOf(gateways: GatewayProcess[]): Promise<number> {
  let claims = 0;
  for (const gateway of gateways) {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as { admission: { claims: number } };
    claims += health.admission.claims;
  }
  return claims;
}

describe("admission by slices (PostgreSQL)", () => {
  it("a busy key is admitted from each instance's slices: far fewer claims than requests, and the counts reconcile", async () => {
    const key = await seedGatewayKey({
      rpmLimit: 100_000,
      tpmLimit: 10_000_000,
      maxParallel: 1_000,
      monthlyBudgetUsd: "1000",
    });
    await roomInMinute(20_000);
    const before = await claimsOf(postgresPair);
    const answers = await runPool(400, 20, (index) => chat(postgresPair[index % 2]!.url, key.key, fastModel));
    const claims = (await claimsOf(postgresPair)) - before;

    console.log(JSON.stringify({ sliceClaims: claims, requests: answers.length }));
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    // One claim per request would be 400; slices grow with each instance's demand.
    expect(claims).toBeLessThan(100);
    const { rows } = await pool.query<{ requests: number }>(
      "SELECT requests FROM gateway_key_windows WHERE gateway_key_id = $1::uuid",
      [key.id],
    );
    // Claimed in slices: at least every admitted request, at most a tenth of the limit more per claim.
    expect(rows[0]!.requests).toBeGreaterThanOrEqual(400);
    await waitFor(
      "every record",
      () => recordCount(key.id),
      (n) => n >= 400,
    );
    // The budget reserved in slices was settled to the cent, then handed back once idle.
    await waitFor(
      "the holdings handed back",
      () => leaseCount(key.id),
      (n) => n === 0,
    );
    expect((await counterOf(`key:${key.id}`)).toFixed(10)).toBe(
      (await monthCost("gateway_key_id", key.id)).toFixed(10),
    );
  }, 120_000);
});
