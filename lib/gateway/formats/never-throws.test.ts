// Callers and upstreams can send anything: every entry point of the layer must answer with a value
// (a translation, a 400, a 502), never throw, and a translated stream must stop after its end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAnthropicStreamTranslator } from "./anthropic/stream";
import { toAnthropicRequest } from "./anthropic/request";
import { fromAnthropicError, fromAnthropicResponse } from "./anthropic/response";
import { createGeminiStreamTranslator } from "./gemini/stream";
import { toGeminiRequest } from "./gemini/request";
import { fromGeminiError, fromGeminiResponse } from "./gemini/response";
import { parseChatRequest } from "./openai/parse-request";
import type { StreamOutput } from "./openai/types";

const context = { created: 1, model: "p/m", includeUsage: true };
const wild = fc.oneof(fc.jsonValue(), fc.anything());

const textPart = fc.record({ type: fc.constant("text"), text: fc.string() });
const imagePart = fc.record({
  type: fc.constant("image_url"),
  image_url: fc.record({ url: fc.oneof(fc.webUrl(), fc.constant("data:image/png;base64,AAAA")) }),
});
const text = fc.oneof(fc.string(), fc.array(textPart, { maxLength: 3 }));
const toolCall = fc.record({
  id: fc.constantFrom("a", "b"),
  type: fc.constant("function"),
  function: fc.record({
    name: fc.constantFrom("f", "g"),
    arguments: fc.oneof(
      fc.dictionary(fc.string(), fc.jsonValue()).map((args) => JSON.stringify(args)),
      fc.constant(""),
      fc.string(),
    ),
  }),
});
const message = fc.oneof(
  { arbitrary: fc.record({ role: fc.constantFrom("system", "developer"), content: text }), weight: 1 },
  {
    arbitrary: fc.record({
      role: fc.constant("user"),
      content: fc.oneof(fc.string(), fc.array(fc.oneof(textPart, imagePart), { maxLength: 3 })),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      role: fc.constant("assistant"),
      content: fc.oneof(text, fc.constant(null)),
      tool_calls: fc.option(fc.array(toolCall, { maxLength: 3 }), { nil: undefined }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ role: fc.constant("tool"), tool_call_id: fc.constantFrom("a", "b", "c"), content: text }),
    weight: 1,
  },
);
const schema = fc.dictionary(
  fc.constantFrom("type", "properties", "items", "$ref", "anyOf", "enum", "required", "$defs"),
  wild,
);
const chatRequest = fc.record(
  {
    model: fc.constant("p/m"),
    messages: fc.array(message, { minLength: 1, maxLength: 6 }),
    tools: fc.uniqueArray(
      fc.record({
        type: fc.constant("function"),
        function: fc.record({ name: fc.constantFrom("f", "g", "h"), parameters: schema }),
      }),
      {
        maxLength: 3,
        selector: (tool) => tool.function.name,
      },
    ),
    response_format: fc.oneof(
      fc.record({ type: fc.constantFrom("text", "json_object") }),
      fc.record({ type: fc.constant("json_schema"), json_schema: fc.record({ name: fc.constant("s"), schema }) }),
    ),
    temperature: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })),
    n: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 10 })),
    stop: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })),
  },
  { requiredKeys: ["model", "messages"] },
);

function settled(outputs: StreamOutput[]): boolean {
  const end = outputs.findIndex((output) => output.type !== "chunk");
  return end === -1 || end === outputs.length - 1;
}

describe("the translation layer never throws", () => {
  it("parseChatRequest answers any value with a request or a 400", () => {
    fc.assert(
      fc.property(wild, (input) => {
        const result = parseChatRequest(input);
        expect(result.ok || result.error.status === 400).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("both request transforms answer any valid request with a translation or a 400", () => {
    let translated = 0;
    fc.assert(
      fc.property(chatRequest, (input) => {
        const parsed = parseChatRequest(input);
        if (!parsed.ok) return;
        for (const result of [
          toAnthropicRequest(parsed.value, { upstreamModel: "m", defaultMaxTokens: 10 }),
          toGeminiRequest(parsed.value),
          toGeminiRequest(parsed.value, { jsonSchemaFields: true }),
        ]) {
          expect(result.ok || result.error.status === 400).toBe(true);
          if (result.ok) translated++;
        }
      }),
      { numRuns: 500 },
    );
    // The generator must reach the transforms' success paths too, not only early refusals.
    expect(translated).toBeGreaterThan(100);
  });

  it("response and error transforms answer any upstream body", () => {
    fc.assert(
      fc.property(wild, fc.integer({ min: 100, max: 599 }), (body, status) => {
        expect(typeof fromAnthropicResponse(body, { jsonToolName: "json_response" }, context).ok).toBe("boolean");
        expect(typeof fromGeminiResponse(body, context).ok).toBe("boolean");
        expect(fromAnthropicError(status, body).status).toBeGreaterThanOrEqual(400);
        expect(fromGeminiError(status, body).status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 500 },
    );
  });

  it("stream translators take any events and emit nothing after an error or done", () => {
    const field = fc.oneof(
      wild,
      fc.constantFrom("text", "tool_use", "text_delta", "input_json_delta", "STOP", "end_turn"),
    );
    const eventData = fc.record({
      type: fc.constantFrom(
        "message_start",
        "content_block_start",
        "content_block_delta",
        "message_delta",
        "message_stop",
        "ping",
        "error",
        "x",
      ),
      index: fc.oneof(fc.nat(3), wild),
      message: fc.dictionary(fc.constantFrom("id", "usage"), wild),
      content_block: fc.dictionary(fc.constantFrom("type", "id", "name", "text"), field),
      delta: fc.dictionary(fc.constantFrom("type", "text", "partial_json", "stop_reason"), field),
      candidates: fc.array(fc.dictionary(fc.constantFrom("index", "content", "finishReason"), field), { maxLength: 3 }),
      usageMetadata: wild,
      error: fc.option(wild, { nil: undefined }),
    });
    let chunksSeen = 0;
    const data = fc.oneof(
      eventData.map((value) => JSON.stringify(value)),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(data, { maxLength: 12 }), (events) => {
        for (const translator of [
          createAnthropicStreamTranslator({ jsonToolName: "json_response" }, context),
          createGeminiStreamTranslator(context),
        ]) {
          const outputs = [...events.flatMap((event) => translator.push({ data: event })), ...translator.end()];
          expect(settled(outputs)).toBe(true);
          expect(translator.end()).toEqual([]);
          chunksSeen += outputs.filter((output) => output.type === "chunk").length;
        }
      }),
      { numRuns: 500 },
    );
    expect(chunksSeen).toBeGreaterThan(100);
  });
});
