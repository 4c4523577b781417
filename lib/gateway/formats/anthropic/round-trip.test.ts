import { describe, expect, it } from "vitest";
import { parseChatRequest } from "../openai/parse-request";
import { parseSse } from "../sse";
import { accumulate } from "../test-support/accumulate";
import { TOOL_STREAM, TOOL_USE_RESPONSE } from "./fixtures";
import { toAnthropicRequest } from "./request";
import { fromAnthropicResponse } from "./response";
import { createAnthropicStreamTranslator } from "./stream";

const response = { created: 1_764_633_600, model: "anthropic-prod/claude-sonnet-4-5", includeUsage: true };

describe("Anthropic round trips", () => {
  it("an answer translated to OpenAI and sent back as history gives Anthropic the same blocks", () => {
    const translated = fromAnthropicResponse(TOOL_USE_RESPONSE, {}, response);
    if (!translated.ok) throw new Error(translated.error.body.error.message);
    const parsed = parseChatRequest({
      model: response.model,
      messages: [{ role: "user", content: "Weather in Paris?" }, translated.value.choices[0]?.message],
    });
    if (!parsed.ok) throw new Error(parsed.error.body.error.message);
    const request = toAnthropicRequest(parsed.value, { upstreamModel: "claude-sonnet-4-5", defaultMaxTokens: 1024 });
    if (!request.ok) throw new Error(request.error.body.error.message);
    // Thinking blocks are not part of OpenAI's message shape, so only they are lost.
    expect(request.value.request.messages[1]).toEqual({
      role: "assistant",
      content: TOOL_USE_RESPONSE.content.filter((block) => block.type !== "thinking"),
    });
  });

  it("a streamed answer accumulates to what the non-streamed translation of the same message says", () => {
    const translator = createAnthropicStreamTranslator({}, response);
    const outputs = [...parseSse(TOOL_STREAM).flatMap((event) => translator.push(event)), ...translator.end()];
    const streamed = accumulate(outputs);
    const message = {
      id: "msg_01ToolStream",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [
        { type: "text", text: "Checking." },
        {
          type: "tool_use",
          id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
          name: "get_weather",
          input: { location: "San Francisco, CA" },
        },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 472, output_tokens: 89 },
    };
    const whole = fromAnthropicResponse(message, {}, response);
    if (!whole.ok) throw new Error(whole.error.body.error.message);
    const choice = whole.value.choices[0];
    expect(streamed.choices[0]?.content).toBe(choice?.message.content);
    expect(streamed.choices[0]?.finishReason).toBe(choice?.finish_reason);
    expect(
      streamed.choices[0]?.toolCalls.map((call) => ({
        ...call,
        function: { ...call.function, arguments: JSON.parse(call.function.arguments) },
      })),
    ).toEqual(
      choice?.message.tool_calls?.map((call) => ({
        ...call,
        function: { ...call.function, arguments: JSON.parse(call.function.arguments) },
      })),
    );
    expect(streamed.usage).toEqual(whole.value.usage);
  });
});
