import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { db, pool } from "@/lib/db/client";
import { COOLDOWN_HASH } from "@/lib/gateway/cooldown-redis";
import { sharedRedis } from "@/lib/gateway/redis-limits";
import { targetCooldowns } from "@/lib/routes/queries";
import type { RouteTarget } from "@/lib/routes/schemas";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import type { GatewayProcess } from "../support/gateway-process";
import { chat, recordCount, startGateways, waitFor } from "./gateway-load-support";
import { providerSlug, seedGatewayKey, type SeededGatewayKey } from "./gateway-support";
import { letters, seedProvider, type Seeded } from "./test-calls-support";

// Fault tests under steady traffic (issue #14), for both cooldown stores: two gateway instances
// over PostgreSQL, and two that keep cooldowns in Redis (REDIS_URL). The first target of a fallback
// route answers 429, answers 500, hangs past its target timeout, or refuses connections, while an
// application sends one request after another through both instances. The application must see no
// failure, and the dead target gets the failures that open its cooldown plus at most one probe per
// cooldown window across both instances. Traffic is one request at a time: with more in flight, each
// request already on its way when the cooldown opens fails too, which no shared state can prevent.
// The four faults run side by side (a route each), then a killed-and-revived target in each store.

const REDIS_URL = "redis://127.0.0.1:6379";
const FAILURES = 2;
const COOLDOWN_SECONDS = 1;
const TRAFFIC_MS = 3_500;
const MIN_REQUESTS = 40;
const HANG_TIMEOUT_MS = 500;

type Fault = "429" | "500" | "hang" | "refused";
const FAULTS: Fault[] = ["429", "500", "hang", "refused"];

type Target = Seeded & { model: string };
type Scenario = { route: string; dead: Target; healthy: Target; caller: SeededGatewayKey };
type Store = "PostgreSQL" | "Redis";

let fake: FakeProvider;
const toggles = new Map<Store, Toggle>();
let admin: Actor;
let closedPort = 0;
const gateways: Record<Store, GatewayProcess[]> = { PostgreSQL: [], Redis: [] };
const scenarios = new Map<string, Scenario>();
const revivals = new Map<Store, Scenario>();

// A provider the test kills and revives: 500 while dead, a completion otherwise; counts what it got.
type Toggle = { url: string; dead: boolean; count: number; close: () => Promise<void> };

async function startToggle(): Promise<Toggle> {
  const state = { dead: true, count: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      state.count += 1;
      res.writeHead(state.dead ? 500 : 200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          state.dead
            ? { error: { message: "internal error", type: "server_error" } }
            : {
                id: `chatcmpl-${letters()}`,
                object: "chat.completion",
                created: Math.floor(Date.now() / 1000),
                model: "revived",
                choices: [{ index: 0, message: { role: "assistant", content: "revived" }, finish_reason: "stop" }],
                usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
              },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedLoopbackPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function target(model: string, url = fake.url): Promise<Target> {
  return { ...(await seedProvider(admin, url, "openai", { model })), model };
}

async function seedScenario(dead: Target, options: { deadTimeoutMs?: number } = {}): Promise<Scenario> {
  const healthy = await target(`okb-${letters()}`);
  const name = `faults-${letters()}`;
  const route = await db.route.create({ data: { name }, select: { id: true } });
  await db.routeVersion.create({
    data: {
      routeId: route.id,
      version: 1,
      strategy: "FALLBACK",
      groups: [
        {
          targets: [
            {
              providerId: dead.providerId,
              modelId: dead.modelId,
              weight: 1,
              params: {},
              ...(options.deadTimeoutMs ? { timeoutMs: options.deadTimeoutMs } : {}),
            },
            { providerId: healthy.providerId, modelId: healthy.modelId, weight: 1, params: {} },
          ],
        },
      ],
      // No retries: each request tries the dead target at most once, so its count is the requests'.
      retries: 0,
      deadlineMs: 20_000,
      cooldownFailures: FAILURES,
      cooldownSeconds: COOLDOWN_SECONDS,
    },
  });
  return { route: name, dead, healthy, caller: await seedGatewayKey() };
}

function deadTarget(fault: Fault): Promise<Target> {
  switch (fault) {
    case "429":
      return target(`gpt-fake-429-${letters()}`);
    case "500":
      return target(`gpt-fake-500-${letters()}`);
    case "hang":
      return target(`gpt-fake-hang-${letters()}`);
    case "refused":
      return target(`refused-${letters()}`, `http://127.0.0.1:${closedPort}`);
  }
}

/** The gateways' attempts at a target, as kept with the usage records. */
async function attemptsAt(target: Target): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM gateway_attempts WHERE model_id = $1::uuid",
    [target.modelId],
  );
  return Number(rows[0]!.n);
}

const fakeCount = (model: string) => fake.requests.filter((r) => r.model === model).length;

/** One request's status and answer text. */
async function content(via: GatewayProcess, scenario: Scenario): Promise<{ status: number; content: string }> {
  const response = await fetch(`${via.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${scenario.caller.key}` },
    body: JSON.stringify({ model: scenario.route, messages: [{ role: "user", content: "hi" }], max_tokens: 5 }),
  });
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  return { status: response.status, content: body.choices?.[0]?.message.content ?? "" };
}

/**
 * Requests one at a time for `ms` and at least `atLeast` of them (a loaded machine answers slower;
 * at most 15 s), alternating between the two instances; the failures' texts.
 */
async function steadyTraffic(pair: GatewayProcess[], scenario: Scenario, ms: number, atLeast = 0) {
  const failed: string[] = [];
  let sent = 0;
  const started = Date.now();
  while ((Date.now() - started < ms || sent < atLeast) && Date.now() - started < 15_000) {
    const answer = await chat(pair[sent % 2]!.url, scenario.caller.key, scenario.route);
    sent += 1;
    if (answer.status !== 200) failed.push(`${answer.status} ${answer.code}: ${answer.message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { failed, sent };
}

/** The route page's reading of a target, with REDIS_URL as the store's gateways have it. */
async function pageState(store: Store, dead: Target) {
  const before = process.env.REDIS_URL;
  if (store === "Redis") process.env.REDIS_URL = REDIS_URL;
  else delete process.env.REDIS_URL;
  try {
    const states = await targetCooldowns([{ providerId: dead.providerId, modelId: dead.modelId } as RouteTarget]);
    return states.get(`${dead.providerId}:${dead.modelId}`);
  } finally {
    if (before === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = before;
  }
}

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  closedPort = await closedLoopbackPort();
  for (const store of ["PostgreSQL", "Redis"] as const) {
    for (const fault of FAULTS)
      scenarios.set(
        `${store}:${fault}`,
        await seedScenario(await deadTarget(fault), fault === "hang" ? { deadTimeoutMs: HANG_TIMEOUT_MS } : {}),
      );
    toggles.set(store, await startToggle());
    revivals.set(store, await seedScenario(await target(`revive-${letters()}`, toggles.get(store)!.url)));
  }
  const warm = await target(`warm-${letters()}`);
  const warmModel = `${await providerSlug(warm.providerId)}/${warm.model}`;
  const warmKey = await seedGatewayKey();
  // Everything is seeded first, so the gateways load it at start.
  gateways.PostgreSQL = await startGateways(2);
  gateways.Redis = await startGateways(2, { REDIS_URL });
  // A first request pays for connections and compilation; the traffic windows should not.
  for (const g of [...gateways.PostgreSQL, ...gateways.Redis])
    expect((await chat(g.url, warmKey.key, warmModel)).status).toBe(200);
}, 240_000);

afterAll(async () => {
  await Promise.all([...gateways.PostgreSQL, ...gateways.Redis].map((g) => g.stop()));
  for (const toggle of toggles.values()) await toggle.close();
  await fake?.close();
  const redis = sharedRedis();
  if (redis) {
    const keys = [...scenarios.values(), ...revivals.values()].map((s) => `${s.dead.providerId}:${s.dead.modelId}`);
    await redis.hdel(COOLDOWN_HASH, ...keys);
    await redis.quit();
  }
});

describe.each(["PostgreSQL", "Redis"] as const)("cooldowns under steady traffic over two instances (%s)", (store) => {
  it.concurrent.each(FAULTS)(
    "the first target %s: no failed request, and it gets its failures plus at most one probe per cooldown",
    async (fault) => {
      const scenario = scenarios.get(`${store}:${fault}`)!;
      const started = Date.now();
      const { failed, sent } = await steadyTraffic(gateways[store], scenario, TRAFFIC_MS, MIN_REQUESTS);
      const elapsedSeconds = (Date.now() - started) / 1000;
      expect(failed).toEqual([]);
      await waitFor(
        "every request's record",
        () => recordCount(scenario.caller.id),
        (n) => n >= sent,
      );
      // What the gateways sent bounds what the provider got (a request aborted at the target's
      // timeout may not reach the fake's log on a loaded machine); a closed port logs nothing.
      const attempted = await attemptsAt(scenario.dead);
      const bound = FAILURES + Math.ceil(elapsedSeconds / COOLDOWN_SECONDS);
      expect(attempted).toBeGreaterThanOrEqual(FAILURES);
      expect(attempted).toBeLessThanOrEqual(bound);
      if (fault !== "refused") {
        expect(fakeCount(scenario.dead.model)).toBeGreaterThan(0);
        expect(fakeCount(scenario.dead.model)).toBeLessThanOrEqual(attempted);
      }
      // Meaningful only if most requests skipped the dead target (about 100 of them on an idle machine).
      expect(sent).toBeGreaterThanOrEqual(bound * 2);
      expect(fakeCount(scenario.healthy.model)).toBe(sent);

      // The route page reads the store these gateways use, and only that one holds the state.
      const state = await pageState(store, scenario.dead);
      expect(state?.failures).toBeGreaterThanOrEqual(FAILURES);
      expect(state?.openUntil).toBeInstanceOf(Date);
      expect(state?.lastErrorClass).toBeTruthy();
      const rows = await db.targetCooldown.count({
        where: { targetKey: `${scenario.dead.providerId}:${scenario.dead.modelId}` },
      });
      expect(rows).toBe(store === "PostgreSQL" ? 1 : 0);
    },
    30_000,
  );

  it.concurrent(
    "a revived target is probed back once its cooldown is over; then both instances send it the traffic",
    async () => {
      const scenario = revivals.get(store)!;
      const revived = toggles.get(store)!;
      const pair = gateways[store];
      const failed: string[] = [];
      await waitFor(
        "the target's cooldown to open",
        async () => {
          failed.push(...(await steadyTraffic(pair, scenario, 100)).failed);
          return (await pageState(store, scenario.dead))?.openUntil ?? null;
        },
        (openUntil) => openUntil instanceof Date,
      );
      expect(failed).toEqual([]);

      revived.dead = false;
      // Within a window one request probes it, and its success closes the target for every instance.
      const by = Date.now() + (COOLDOWN_SECONDS + 3) * 1000;
      let sent = 0;
      let answeredByRevived = false;
      while (!answeredByRevived && Date.now() < by) {
        const answer = await content(pair[sent % 2]!, scenario);
        sent += 1;
        expect(answer.status).toBe(200);
        answeredByRevived = answer.content === "revived";
        if (!answeredByRevived) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(answeredByRevived).toBe(true);
      // A closing is not pushed: the other instance sees it at its next refresh (250 ms).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = { revived: revived.count, healthy: fakeCount(scenario.healthy.model) };
      for (let i = 0; i < 10; i += 1) expect((await content(pair[i % 2]!, scenario)).content).toBe("revived");
      expect(revived.count - before.revived).toBe(10);
      expect(fakeCount(scenario.healthy.model)).toBe(before.healthy);
      const state = await pageState(store, scenario.dead);
      expect(state).toMatchObject({ failures: 0, openUntil: null, probeUntil: null });
    },
    30_000,
  );
});
