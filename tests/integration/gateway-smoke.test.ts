import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import type { Actor } from "@/lib/auth/session";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { seedProvider } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey } from "./gateway-support";

let fake: FakeProvider;
let gateway: GatewayProcess;
let admin: Actor;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  gateway = await startGatewayProcess();
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

describe("gateway smoke", () => {
  for (const kind of ["openai", "anthropic", "google"]) {
    it(`chat through ${kind}, streamed and not`, async () => {
      const seeded = await seedProvider(admin, fake.url, kind);
      const slug = await providerSlug(seeded.providerId);
      const key = await seedGatewayKey();
      const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: key.key });
      const answer = await client.chat.completions.create({
        model: `${slug}/fake-small`,
        messages: [{ role: "user", content: "Hello there" }],
      });
      expect(answer.choices[0]?.message.content).toBeTruthy();
      const stream = await client.chat.completions.create({
        model: `${slug}/fake-small`,
        messages: [{ role: "user", content: "Hello there" }],
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text.length).toBeGreaterThan(0);
      const rows = await gatewayUsageOf(key.id, 2);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.status).toBe("OK");
        expect(row.outputTokens).toBeGreaterThan(0);
        expect(row.priced).toBe(true);
        expect(row.teamId).toBe(key.teamId);
      }
    });
  }
});
