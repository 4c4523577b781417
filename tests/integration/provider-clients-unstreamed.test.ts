import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCompletion } from "@/lib/calls/run-completion";

// A minimal third-party-style OpenAI-compatible mock that ignores `stream: true`.
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const { model } = JSON.parse(body) as { model: string };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model,
          choices: [{ index: 0, message: { role: "assistant", content: "Hello from a mock" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("servers that answer a streamed request with one JSON completion", () => {
  it.each(["openai-compatible", "openai", "together"])(
    "%s: the answer, tokens and latency come through",
    async (kind) => {
      const result = await runCompletion({
        kind,
        baseUrl,
        apiKey: "sk-mock-123456789",
        model: "mock-model",
        messages: [{ role: "user", content: "Hi" }],
        maxOutputTokens: 16,
        timeoutMs: 5_000,
        maxRetries: 0,
      });
      expect(result).toMatchObject({ ok: true, text: "Hello from a mock", inputTokens: 11, outputTokens: 4 });
      if (result.ok) expect(result.ttftMs).toBeLessThanOrEqual(result.totalMs);
    },
  );
});
