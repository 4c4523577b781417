import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/session";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider } from "./test-calls-support";
import { gatewayUsageOf, seedGatewayKey } from "./gateway-support";

// A route's exact-match cache: the second identical request is answered from the cache (streamed
// or not) without calling the provider, recorded with cost 0 and what it would have cost saved;
// a different body, another key or the bypass header miss it.

let fake: FakeProvider;
let gateway: GatewayProcess;
let admin: Actor;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  gateway = await startGatewayProcess();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function cachedRoute(providerId: string, modelId: string, ttlSeconds = 60): Promise<string> {
  const name = `cached-${letters()}`;
  await db.route.create({
    data: {
      name,
      versions: {
        create: {
          version: 1,
          strategy: "FALLBACK",
          groups: [{ targets: [{ providerId, modelId, weight: 1, params: {} }] }],
          cacheEnabled: true,
          cacheTtlSeconds: ttlSeconds,
        },
      },
    },
  });
  return name;
}

async function chat(key: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, cache: response.headers.get("x-cache"), text: await response.text() };
}

describe("the exact-match cache", () => {
  for (const stream of [false, true]) {
    it(`answers an identical request from the cache (${stream ? "streamed" : "not streamed"})`, async () => {
      const seeded = await seedProvider(admin, fake.url, "openai", { price: { input: "2", output: "8" } });
      const route = await cachedRoute(seeded.providerId, seeded.modelId);
      const key = await seedGatewayKey();
      const body = { model: route, messages: [{ role: "user", content: `cache me ${letters()}` }], stream };
      const before = fake.count("openai.chat");
      const first = await chat(key.key, body);
      expect(first.status).toBe(200);
      expect(first.cache).toBe("MISS");
      // The store is written after the answer: wait until a repeat hits.
      let second = await chat(key.key, body);
      for (let i = 0; i < 20 && second.cache !== "HIT"; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        second = await chat(key.key, body);
      }
      expect(second.cache).toBe("HIT");
      expect(second.text).toBe(first.text);
      const providerCalls = fake.count("openai.chat") - before;
      const rows = await gatewayUsageOf(key.id, providerCalls + 1);
      const hits = rows.filter((row) => row.cached);
      const misses = rows.filter((row) => !row.cached);
      expect(misses).toHaveLength(providerCalls);
      expect(hits.length).toBeGreaterThanOrEqual(1);
      const miss = misses[0]!;
      for (const hit of hits) {
        expect(hit.cost?.toString()).toBe("0");
        expect(hit.inputTokens).toBe(miss.inputTokens);
        expect(hit.outputTokens).toBe(miss.outputTokens);
        // What the hit would have cost: its tokens at the model's price, worked out here.
        const expected = (miss.inputTokens * 2 + miss.outputTokens * 8) / 1_000_000;
        expect(Number(hit.savedCost)).toBeCloseTo(expected, 10);
        expect(hit.routeId).not.toBeNull();
      }
    });
  }

  it("misses for another body, another key, or a caller that bypasses it", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const route = await cachedRoute(seeded.providerId, seeded.modelId);
    const key = await seedGatewayKey();
    const other = await seedGatewayKey({ teamId: key.teamId });
    const body = { model: route, messages: [{ role: "user", content: `one ${letters()}` }] };
    await chat(key.key, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await chat(key.key, body)).cache).toBe("HIT");
    expect((await chat(other.key, body)).cache).toBe("MISS");
    expect((await chat(key.key, { ...body, temperature: 0.5 })).cache).toBe("MISS");
    expect((await chat(key.key, body, { "cache-control": "no-cache" })).cache).toBeNull();
  });

  it("an entry lives for its TTL and no longer, the copy an instance keeps in memory included", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const route = await cachedRoute(seeded.providerId, seeded.modelId, 1);
    const key = await seedGatewayKey();
    const body = { model: route, messages: [{ role: "user", content: `brief ${letters()}` }] };
    const stored = Date.now();
    expect((await chat(key.key, body)).cache).toBe("MISS");
    let repeat = await chat(key.key, body);
    while (repeat.cache !== "HIT" && Date.now() - stored < 800) repeat = await chat(key.key, body);
    expect(repeat.cache).toBe("HIT");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stored + 1_300 - Date.now())));
    expect((await chat(key.key, body)).cache).toBe("MISS");
  });
});
