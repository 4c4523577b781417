import { describe, expect, it } from "vitest";
import { parseChatRequest } from "../openai/parse-request";
import type { ChatRequest } from "../openai/request-schema";
import { IGNORED_FIELDS } from "./config";
import { toAnthropicRequest } from "./request";

const options = { upstreamModel: "claude-sonnet-4-5-20250929", defaultMaxTokens: 4096 };

function chat(body: Record<string, unknown>): ChatRequest {
  const parsed = parseChatRequest({ model: "anthropic-prod/claude-sonnet-4-5", ...body });
  if (!parsed.ok) throw new Error(parsed.error.body.error.message);
  return parsed.value;
}

function translate(body: Record<string, unknown>) {
  const result = toAnthropicRequest(chat(body), options);
  if (!result.ok) throw new Error(result.error.body.error.message);
  return result.value;
}

function refusal(body: Record<string, unknown>) {
  const result = toAnthropicRequest(chat(body), options);
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
}

const hi = [{ role: "user", content: "Hi" }];

describe("toAnthropicRequest", () => {
  it("maps tools, tool_choice and parallel_tool_calls", () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
      { type: "function", function: { name: "now" } },
    ];
    const { request } = translate({ messages: hi, tools, tool_choice: "required", parallel_tool_calls: false });
    expect(request.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather",
        input_schema: { type: "object", properties: { city: { type: "string" } } },
      },
      { name: "now", input_schema: { type: "object", properties: {} } },
    ]);
    expect(request.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(translate({ messages: hi, tools, tool_choice: "auto" }).request.tool_choice).toEqual({ type: "auto" });
    expect(translate({ messages: hi, tools, tool_choice: "none" }).request.tool_choice).toEqual({ type: "none" });
    const named = translate({ messages: hi, tools, tool_choice: { type: "function", function: { name: "now" } } });
    expect(named.request.tool_choice).toEqual({ type: "tool", name: "now" });
  });

  it("maps sampling fields, stop, stream and max tokens, and drops fields Anthropic lacks", () => {
    const { request } = translate({
      messages: hi,
      temperature: 0.5,
      top_p: 0.9,
      stop: "END",
      stream: true,
      max_tokens: 50,
      seed: 3,
      user: "u1",
    });
    expect(request).toMatchObject({
      temperature: 0.5,
      top_p: 0.9,
      stop_sequences: ["END"],
      stream: true,
      max_tokens: 50,
    });
    for (const field of IGNORED_FIELDS) expect(request).not.toHaveProperty(field);
    expect(translate({ messages: hi }).request).toMatchObject({ model: options.upstreamModel, max_tokens: 4096 });
    expect(translate({ messages: hi, max_tokens: 10, max_completion_tokens: 20 }).request.max_tokens).toBe(20);
  });

  it("emulates response_format json with one forced tool and records it in the context", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const { request, context } = translate({
      messages: hi,
      response_format: { type: "json_schema", json_schema: { name: "city", schema } },
    });
    expect(request.tools).toEqual([{ name: "json_response", description: expect.any(String), input_schema: schema }]);
    expect(request.tool_choice).toEqual({ type: "tool", name: "json_response" });
    expect(context).toEqual({ jsonToolName: "json_response" });
    expect(
      translate({ messages: hi, response_format: { type: "json_object" } }).request.tools?.[0]?.input_schema,
    ).toMatchObject({ type: "object" });
    expect(translate({ messages: hi, response_format: { type: "text" } }).context).toEqual({});
  });

  it("refuses what Anthropic cannot do with a 400 naming the field", () => {
    expect(refusal({ messages: hi, n: 2 }).body.error).toMatchObject({ param: "n", code: "unsupported_parameter" });
    expect(refusal({ messages: hi, temperature: 1.5 }).body.error.param).toBe("temperature");
    const tools = [{ type: "function", function: { name: "f" } }];
    expect(refusal({ messages: hi, tools, response_format: { type: "json_object" } }).body.error.param).toBe(
      "response_format",
    );
    const arraySchema = { type: "json_schema", json_schema: { name: "list", schema: { type: "array" } } };
    expect(refusal({ messages: hi, response_format: arraySchema }).status).toBe(400);
    const badArgs = [
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "{oops" } }],
      },
    ];
    expect(refusal({ messages: badArgs }).body.error.param).toBe("messages[0].tool_calls[0].function.arguments");
    expect(refusal({ messages: [{ role: "system", content: "only a system prompt" }] }).body.error.param).toBe(
      "messages",
    );
  });
});
