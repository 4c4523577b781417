import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { seedProvider } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey } from "./gateway-support";

// A streamed answer is forwarded chunk by chunk as the provider sends it, not buffered: a slow
// upstream drips one SSE chunk every 200 ms, and the caller must receive the first one before the
// upstream has sent its last. Judged by the order of events in this process (the upstream's sends
// and the caller's receipts share one log), never by a wall-clock threshold.

const CHUNKS = 6;
const DRIP_MS = 200;
const events: string[] = [];

let upstream: http.Server;
let upstreamUrl: string;
let gateway: GatewayProcess;
let admin: Actor;

function chunk(index: number): string {
  const delta = { content: `part${index} ` };
  return `data: ${JSON.stringify({ id: "drip", object: "chat.completion.chunk", created: 1, model: "drip-model", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < CHUNKS) {
          res.write(chunk(sent));
          events.push(`upstream sent ${sent}`);
          sent += 1;
          return;
        }
        clearInterval(timer);
        const usage = { prompt_tokens: 5, completion_tokens: CHUNKS, total_tokens: 5 + CHUNKS };
        res.end(
          `data: ${JSON.stringify({ id: "drip", object: "chat.completion.chunk", created: 1, model: "drip-model", choices: [], usage })}\n\ndata: [DONE]\n\n`,
        );
      }, DRIP_MS);
      res.on("close", () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  admin = await createActor("ADMIN");
  gateway = await startGatewayProcess();
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe("gateway streaming", () => {
  it("forwards each chunk as it arrives: the first reaches the caller before the upstream sends its last", async () => {
    const seeded = await seedProvider(admin, upstreamUrl, "openai", { model: "drip-model" });
    const key = await seedGatewayKey();
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key.key}` },
      body: JSON.stringify({
        model: `${await providerSlug(seeded.providerId)}/drip-model`,
        messages: [{ role: "user", content: "drip" }],
        stream: true,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const decoder = new TextDecoder();
    let text = "";
    let received = 0;
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      text += decoder.decode(read.value, { stream: true });
      // Count whole content chunks seen so far; log each the moment it is first complete.
      const seen = (text.match(/"content":"part\d+ "/g) ?? []).length;
      for (; received < seen; received += 1) events.push(`caller received ${received}`);
    }

    expect(received).toBe(CHUNKS);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    const contents = [...text.matchAll(/"content":"(part\d+) "/g)].map((match) => match[1]);
    expect(contents).toEqual(Array.from({ length: CHUNKS }, (_, i) => `part${i}`));
    // The order of events is the claim: chunk 0 was in the caller's hands while the upstream
    // still had chunks to send (a buffering gateway would deliver it only after the last).
    const at = (event: string) => events.indexOf(event);
    expect(at("upstream sent 0")).toBeGreaterThanOrEqual(0);
    expect(at("caller received 0")).toBeGreaterThan(at("upstream sent 0"));
    expect(at("caller received 0")).toBeLessThan(at(`upstream sent ${CHUNKS - 1}`));

    const [record] = await gatewayUsageOf(key.id, 1);
    expect(record?.status).toBe("OK");
    expect(record?.outputTokens).toBe(CHUNKS);
  });
});
