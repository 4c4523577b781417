import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import type { GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider, type Seeded } from "./test-calls-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import {
  chat,
  counterOf,
  leaseCount,
  monthCost,
  preSpend,
  recordCount,
  waitFor,
  type GatewayAnswer,
  startGateways,
} from "./gateway-load-support";

// Hard budgets under concurrency: 50 requests at once, split over two gateway processes sharing
// PostgreSQL, against a scope with $1 left. Each request's cost is known from its inputs: the fake
// counts ceil(prompt characters / 4) input tokens and answers at most max_tokens tokens. Every
// request admitted before the last one was, at that moment, either settled at its real cost or
// reserved at its maximum (never less than the real cost), so the month can overshoot the budget
// by at most the last admitted request's own cost.

const PRICE = { input: "1000", output: "10000" }; // $ per million tokens
const PROMPT = "hi";
const MAX_TOKENS = 5;
const MILLION = new Prisma.Decimal(1_000_000);
const ONE_REQUEST_MAX = new Prisma.Decimal(PRICE.input)
  .mul(Math.ceil(PROMPT.length / 4))
  .add(new Prisma.Decimal(PRICE.output).mul(MAX_TOKENS))
  .div(MILLION);
/** $2.00 at the input price: spent before the test, leaving $1 of a $3.00 budget. */
const PRE_SPEND_TOKENS = 2000;
const BUDGET = "3.00";
const PARALLEL = 50;

let fake: FakeProvider;
let gateways: GatewayProcess[] = [];
let admin: Actor;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  gateways = await startGateways(2);
}, 180_000);

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await fake?.close();
});

type Target = Seeded & { name: string; upstreamModel: string };

/** A provider whose one model answers after a delay, so concurrent requests overlap. */
async function slowProvider(price: typeof PRICE | null = PRICE): Promise<Target> {
  const upstreamModel = `fake-slow-600-${letters()}`;
  const seeded = await seedProvider(admin, fake.url, "openai", { model: upstreamModel, price });
  return { ...seeded, upstreamModel, name: `${await providerSlug(seeded.providerId)}/${upstreamModel}` };
}

const providerCalls = (target: Target) => fake.requests.filter((r) => r.model === target.upstreamModel).length;

function fire(count: number, key: (index: number) => string, target: Target): Promise<GatewayAnswer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      chat(gateways[index % gateways.length]!.url, key(index), target.name, { prompt: PROMPT, maxTokens: MAX_TOKENS }),
    ),
  );
}

function expectBudgetRefusals(answers: GatewayAnswer[], scopeWords: RegExp) {
  const ok = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter((answer) => answer.status !== 200);
  expect(ok.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  for (const answer of refused) {
    expect(answer.status).toBe(429);
    expect(answer.code).toBe("budget_exceeded");
    expect(answer.message).toMatch(scopeWords);
    expect(answer.retryAfter).toMatch(/^[1-9]\d*$/);
  }
  return ok.length;
}

/**
 * After the writers flush: each scope's counter is the sum of its records, and once idle every
 * instance hands its holding (the budget it reserved) back.
 */
async function expectSettled(keyIds: string[], scopes: { scope: string; cost: () => Promise<Prisma.Decimal> }[]) {
  for (const id of keyIds)
    await waitFor(
      "the holdings handed back",
      () => leaseCount(id),
      (n) => n === 0,
    );
  for (const { scope, cost } of scopes) expect((await counterOf(scope)).toFixed(10)).toBe((await cost()).toFixed(10));
}

async function waitForRecords(keyId: string, count: number) {
  await waitFor(
    `${count} usage records`,
    () => recordCount(keyId),
    (n) => n >= count,
  );
}

/** Polls every gateway with a request until each answers as `done` says (a budget row reached it). */
async function untilEveryGateway(key: string, target: Target, done: (answer: GatewayAnswer) => boolean) {
  for (const gateway of gateways)
    await waitFor(
      `gateway ${gateway.port} to see the budget`,
      () => chat(gateway.url, key, target.name, { prompt: PROMPT, maxTokens: MAX_TOKENS }),
      done,
    );
}

const budgetRefused = (answer: GatewayAnswer) => answer.status === 429 && answer.code === "budget_exceeded";
const succeeded = (answer: GatewayAnswer) => answer.status === 200;

describe("gateway hard budgets", () => {
  it("50 parallel requests against a key with $1 of budget left never take the month's spend above $1 plus one request's maximum", async () => {
    const target = await slowProvider();
    const key = await seedGatewayKey({ monthlyBudgetUsd: BUDGET });
    await preSpend({ ...target, inputTokens: PRE_SPEND_TOKENS, gatewayKeyId: key.id, teamId: key.teamId });
    const before = providerCalls(target);

    const answers = await fire(PARALLEL, () => key.key, target);

    const admitted = expectBudgetRefusals(answers, /gateway key's monthly budget/);
    expect(providerCalls(target) - before).toBe(admitted);
    await waitForRecords(key.id, 1 + PARALLEL);
    const spent = await monthCost("gateway_key_id", key.id);
    expect(spent.lte(new Prisma.Decimal(BUDGET).add(ONE_REQUEST_MAX)), `spent ${spent.toFixed()}`).toBe(true);
    await expectSettled(
      [key.id],
      [
        { scope: `key:${key.id}`, cost: () => monthCost("gateway_key_id", key.id) },
        { scope: `team:${key.teamId}`, cost: () => monthCost("team_id", key.teamId) },
        { scope: `provider:${target.providerId}`, cost: () => monthCost("provider_id", target.providerId) },
      ],
    );
  }, 60_000);

  it("a team's budget holds across its keys: 50 parallel requests over two keys stay within $1 plus one request", async () => {
    const target = await slowProvider();
    const first = await seedGatewayKey({ teamBudgetUsd: BUDGET });
    const second = await seedGatewayKey({ teamId: first.teamId });
    await preSpend({ ...target, inputTokens: PRE_SPEND_TOKENS, gatewayKeyId: first.id, teamId: first.teamId });
    const before = providerCalls(target);

    const answers = await fire(PARALLEL, (index) => (index % 4 < 2 ? first.key : second.key), target);

    const admitted = expectBudgetRefusals(answers, /team's monthly budget/);
    expect(providerCalls(target) - before).toBe(admitted);
    await waitFor(
      "the team's records",
      async () => (await recordCount(first.id)) + (await recordCount(second.id)),
      (n) => n >= 1 + PARALLEL,
    );
    const spent = await monthCost("team_id", first.teamId);
    expect(spent.lte(new Prisma.Decimal(BUDGET).add(ONE_REQUEST_MAX)), `spent ${spent.toFixed()}`).toBe(true);
    await expectSettled(
      [first.id, second.id],
      [
        { scope: `team:${first.teamId}`, cost: () => monthCost("team_id", first.teamId) },
        { scope: `key:${first.id}`, cost: () => monthCost("gateway_key_id", first.id) },
        { scope: `key:${second.id}`, cost: () => monthCost("gateway_key_id", second.id) },
      ],
    );
  }, 60_000);

  it("a provider's hard budget holds under 50 parallel requests, and is refused before the provider is called", async () => {
    const target = await slowProvider();
    const key = await seedGatewayKey();
    await preSpend({ ...target, inputTokens: PRE_SPEND_TOKENS });
    // Spent already equals the amount: every gateway refuses once it has loaded the row...
    await db.budget.create({
      data: { scope: target.providerId, providerId: target.providerId, monthlyAmount: "2.00", hard: true },
    });
    try {
      await untilEveryGateway(key.key, target, budgetRefused);
      // ...and admits again once it sees $1 more (so the burst below meets the new amount).
      await db.budget.update({ where: { scope: target.providerId }, data: { monthlyAmount: BUDGET } });
      await untilEveryGateway(key.key, target, succeeded);
      const before = providerCalls(target);
      const sentBefore = await recordCount(key.id);

      const answers = await fire(PARALLEL, () => key.key, target);

      const admitted = expectBudgetRefusals(answers, /provider's monthly budget/);
      expect(providerCalls(target) - before).toBe(admitted);
      await waitForRecords(key.id, sentBefore + PARALLEL);
      const spent = await monthCost("provider_id", target.providerId);
      expect(spent.lte(new Prisma.Decimal(BUDGET).add(ONE_REQUEST_MAX)), `spent ${spent.toFixed()}`).toBe(true);
      await expectSettled(
        [key.id],
        [{ scope: `provider:${target.providerId}`, cost: () => monthCost("provider_id", target.providerId) }],
      );
    } finally {
      await db.budget.deleteMany({ where: { scope: target.providerId } });
    }
  }, 90_000);

  it("a soft budget only warns: requests over it are answered", async () => {
    const target = await slowProvider();
    const key = await seedGatewayKey();
    await preSpend({ ...target, inputTokens: PRE_SPEND_TOKENS });
    await db.budget.create({
      data: { scope: target.providerId, providerId: target.providerId, monthlyAmount: "1.00", hard: true },
    });
    try {
      await untilEveryGateway(key.key, target, budgetRefused);
      await db.budget.update({ where: { scope: target.providerId }, data: { hard: false } });
      await untilEveryGateway(key.key, target, succeeded);
      const answers = await fire(10, () => key.key, target);
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    } finally {
      await db.budget.deleteMany({ where: { scope: target.providerId } });
    }
  }, 60_000);

  it("a route counts every target's provider budget: a spent one is skipped, and a fallback to it is never called", async () => {
    // Priced providers on the fake: "spent" has a hard budget already used up; "open" answers; "dead" fails (500).
    const seed = async (model: string) => {
      const seeded = await seedProvider(admin, fake.url, "openai", { model, price: PRICE });
      return { ...seeded, upstreamModel: model, name: `${await providerSlug(seeded.providerId)}/${model}` };
    };
    const spent = await seed(`fake-${letters()}`);
    const open = await seed(`fake-${letters()}`);
    const dead = await seed(`fake-500-${letters()}`);
    const key = await seedGatewayKey();
    await preSpend({ ...spent, inputTokens: PRE_SPEND_TOKENS });
    await db.budget.create({
      data: { scope: spent.providerId, providerId: spent.providerId, monthlyAmount: "2.00", hard: true },
    });
    const route = async (targets: Target[]) => {
      const name = `route-${letters()}`;
      const { id } = await db.route.create({ data: { name }, select: { id: true } });
      await db.routeVersion.create({
        data: {
          routeId: id,
          version: 1,
          strategy: "FALLBACK",
          groups: [
            { targets: targets.map((t) => ({ providerId: t.providerId, modelId: t.modelId, weight: 1, params: {} })) },
          ],
          retries: 0,
          deadlineMs: 20_000,
          cooldownFailures: 100,
          cooldownSeconds: 30,
        },
      });
      return name;
    };
    const send = (name: string) =>
      Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          chat(gateways[index % gateways.length]!.url, key.key, name, { prompt: PROMPT, maxTokens: MAX_TOKENS }),
        ),
      );
    try {
      await untilEveryGateway(key.key, spent, budgetRefused);
      const spentBefore = providerCalls(spent);
      // Spent first: its targets are dropped and the next one answers every request.
      const skipping = await route([spent, open]);
      const openBefore = providerCalls(open);
      expect((await send(skipping)).map((answer) => answer.status)).toEqual(Array(6).fill(200));
      expect(providerCalls(open) - openBefore).toBe(6);
      // Spent as the fallback of a failing target: the failure is answered, the spent provider never called.
      const falling = await route([dead, spent]);
      const answers = await send(falling);
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(502));
      expect(providerCalls(dead)).toBeGreaterThanOrEqual(6);
      // Every target's provider spent: the route is refused before any provider is called.
      const deadBefore = providerCalls(dead);
      const onlySpent = await route([spent]);
      for (const answer of await send(onlySpent)) expect(budgetRefused(answer)).toBe(true);
      expect(providerCalls(dead)).toBe(deadBefore);
      expect(providerCalls(spent)).toBe(spentBefore);
    } finally {
      await db.budget.deleteMany({ where: { scope: spent.providerId } });
    }
  }, 90_000);

  it("an unpriced model under a hard budget is refused with 403 before the provider is called", async () => {
    const target = await slowProvider(null);
    const budgeted = await seedGatewayKey({ monthlyBudgetUsd: "5.00" });
    const before = providerCalls(target);
    for (const gateway of gateways) {
      const answer = await chat(gateway.url, budgeted.key, target.name, { prompt: PROMPT, maxTokens: MAX_TOKENS });
      expect(answer.status).toBe(403);
      expect(answer.code).toBe("model_unpriced");
      expect(answer.message).toMatch(/no price/);
    }
    expect(providerCalls(target)).toBe(before);
    // The same model without a hard budget is answered: the refusal is the budget's.
    const unbudgeted = await seedGatewayKey();
    const answer = await chat(gateways[0]!.url, unbudgeted.key, target.name, { prompt: PROMPT, maxTokens: MAX_TOKENS });
    expect(answer.status).toBe(200);
    expect(providerCalls(target)).toBe(before + 1);
  });

  // Last: while it exists, the overall budget counts every request in the database.
  it("the overall hard budget holds under 50 parallel requests", async () => {
    const target = await slowProvider();
    const key = await seedGatewayKey();
    const previous = await db.budget.findUnique({ where: { scope: "overall" } });
    // Amounts have cents: the floor of what is spent already refuses, and a dollar more admits.
    const spentCents = (await counterOf("overall")).toDecimalPlaces(2, Prisma.Decimal.ROUND_DOWN);
    const limit = spentCents.add(1);
    await db.budget.upsert({
      where: { scope: "overall" },
      create: { scope: "overall", monthlyAmount: spentCents, hard: true },
      update: { monthlyAmount: spentCents, hard: true },
    });
    try {
      await untilEveryGateway(key.key, target, budgetRefused);
      await db.budget.update({ where: { scope: "overall" }, data: { monthlyAmount: limit } });
      await untilEveryGateway(key.key, target, succeeded);
      const before = providerCalls(target);

      const answers = await fire(PARALLEL, () => key.key, target);

      const admitted = expectBudgetRefusals(answers, /overall monthly budget/);
      expect(providerCalls(target) - before).toBe(admitted);
      await waitFor(
        "every lease settled",
        () => leaseCount(key.id),
        (n) => n === 0,
      );
      const spent = await counterOf("overall");
      expect(spent.lte(limit.add(ONE_REQUEST_MAX)), `spent ${spent.toFixed()} of ${limit.toFixed()}`).toBe(true);
    } finally {
      if (previous)
        await db.budget.update({
          where: { scope: "overall" },
          data: { monthlyAmount: previous.monthlyAmount, hard: previous.hard },
        });
      else await db.budget.deleteMany({ where: { scope: "overall" } });
    }
  }, 90_000);
});
