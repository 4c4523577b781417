import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { seedProvider } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey } from "./gateway-support";

// A caller that goes away mid-stream: the gateway stops the provider call and records the request
// as CANCELLED with the tokens received until then (never as 0 tokens, never as OK).

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

async function readFirstChunkThenAbort(url: string, key: string, body: object): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  let text = "";
  // Read until one content delta has arrived, then hang up.
  while (!/"content":"[^"]+"/.test(text) && !/"text":"[^"]+"/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  return text;
}

describe("a caller that disconnects mid-stream", () => {
  for (const kind of ["openai", "anthropic", "google"]) {
    it(`is recorded as cancelled with the tokens received so far (${kind})`, async () => {
      const seeded = await seedProvider(admin, fake.url, kind, { model: "fake-drip-300" });
      const slug = await providerSlug(seeded.providerId);
      const key = await seedGatewayKey();
      const received = await readFirstChunkThenAbort(`${gateway.baseUrl}/chat/completions`, key.key, {
        model: `${slug}/fake-drip-300`,
        messages: [{ role: "user", content: "Tell me a story" }],
        stream: true,
      });
      expect(received.length).toBeGreaterThan(0);
      const [row, ...more] = await gatewayUsageOf(key.id, 1);
      expect(more).toHaveLength(0);
      expect(row?.status).toBe("CANCELLED");
      expect(row?.httpStatus).toBe(499);
      // The fake answers 11 word tokens one per 300 ms: the caller left after the first few.
      expect(row?.outputTokens).toBeGreaterThan(0);
      expect(row?.outputTokens).toBeLessThan(11);
      expect(row?.inputTokens).toBeGreaterThan(0);
      expect(row?.priced).toBe(true);
    });
  }
});
