import http from "node:http";
import type { AddressInfo } from "node:net";
import { jsonSchema, tool } from "ai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/session";
import { executeCall } from "@/lib/calls/execute-call";
import { loadCallModel, loadCallProvider } from "@/lib/calls/call-target";
import { runCompletion } from "@/lib/calls/run-completion";
import { fakeBaseUrl, startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { seedProvider } from "./test-calls-support";

// The neutral call engine (lib/calls): conversations with roles and tools, and the usage source
// and tag chosen by the caller, as the gateway will use it.

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

let toolServer: http.Server;
let toolUrl = "";
const bodies: Record<string, unknown>[] = [];
let fake: FakeProvider;
let admin: Actor;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  // Answers every chat request with one streamed tool call, as OpenAI does.
  toolServer = http.createServer((req, res) => {
    let text = "";
    req.on("data", (part: Buffer) => (text += part.toString()));
    req.on("end", () => {
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        chunk({
          role: "assistant",
          tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }],
        }),
      );
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }));
      res.write(chunk({}, "tool_calls"));
      res.write(
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: "m", choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } })}\n\n`,
      );
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => toolServer.listen(0, "127.0.0.1", resolve));
  toolUrl = `http://127.0.0.1:${(toolServer.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await fake.close();
  await new Promise<void>((resolve) => toolServer.close(() => resolve()));
});

describe("runCompletion", () => {
  test("sends the whole conversation with its roles and the tools, and returns the tool calls", async () => {
    const result = await runCompletion({
      kind: "openai",
      baseUrl: toolUrl,
      apiKey: "sk-fake-engine",
      model: "m",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Weather?" },
        { role: "assistant", content: "Which city?" },
        { role: "user", content: "Oslo" },
      ],
      tools: {
        get_weather: tool({
          description: "Current weather",
          inputSchema: jsonSchema<{ city: string }>({
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
          }),
        }),
      },
      maxOutputTokens: 32,
      timeoutMs: 3_000,
      maxRetries: 0,
    });
    expect(result).toMatchObject({
      ok: true,
      finishReason: "tool-calls",
      inputTokens: 12,
      outputTokens: 5,
      usageEstimated: false,
    });
    expect(result.ok && result.toolCalls).toEqual([
      { toolCallId: "call_1", toolName: "get_weather", input: { city: "Oslo" } },
    ]);
    const sent = bodies.at(-1)!;
    expect((sent.messages as { role: string }[]).map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect((sent.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(["get_weather"]);
  });
});

describe("executeCall", () => {
  test("records usage under the source and tag its caller names", async () => {
    const seeded = await seedProvider(admin, fake.url, "anthropic");
    const provider = await loadCallProvider(seeded.providerId);
    const model = await loadCallModel(provider.id, seeded.modelId);
    const outcome = await executeCall({
      provider,
      model,
      key: { providerId: provider.id },
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hi." },
      ],
      maxOutputTokens: 16,
      usage: { source: "GATEWAY", tag: "gateway-test" },
    });
    expect(outcome).toMatchObject({ ok: true, attempted: true, finishReason: "stop", toolCalls: [] });
    const rows = await db.usageRecord.findMany({
      where: { providerId: provider.id },
      select: { source: true, tag: true, status: true, inputTokens: true },
    });
    expect(rows).toEqual([{ source: "GATEWAY", tag: "gateway-test", status: "OK", inputTokens: outcome.inputTokens }]);
    expect(fake.requests.at(-1)).toMatchObject({ route: "anthropic.chat" });
    void fakeBaseUrl;
  });
});
