import { describe, expect, it } from "vitest";
import { parseChatRequest } from "../openai/parse-request";
import { parseSse } from "../sse";
import { accumulate } from "../test-support/accumulate";
import { FUNCTION_CALL_RESPONSE, TOOL_STREAM } from "./fixtures";
import { toGeminiRequest } from "./request";
import { fromGeminiResponse } from "./response";
import { createGeminiStreamTranslator } from "./stream";

function context() {
  let next = 0;
  return {
    created: 1_764_633_600,
    model: "gemini-prod/gemini-2.5-flash",
    includeUsage: true,
    newToolCallId: () => `call_${next++}`,
  };
}

describe("Gemini round trips", () => {
  it("an answer translated to OpenAI, then sent back with tool results, gives Gemini the same calls and named responses", () => {
    const translated = fromGeminiResponse(FUNCTION_CALL_RESPONSE, context());
    if (!translated.ok) throw new Error(translated.error.body.error.message);
    const message = translated.value.choices[0]?.message;
    const results = (message?.tool_calls ?? []).map((call) => ({
      role: "tool",
      tool_call_id: call.id,
      content: `result of ${call.function.name}`,
    }));
    const parsed = parseChatRequest({
      model: "gemini-prod/gemini-2.5-flash",
      messages: [{ role: "user", content: "Weather and time?" }, message, ...results],
    });
    if (!parsed.ok) throw new Error(parsed.error.body.error.message);
    const request = toGeminiRequest(parsed.value);
    if (!request.ok) throw new Error(request.error.body.error.message);
    const original = FUNCTION_CALL_RESPONSE.candidates[0]?.content.parts ?? [];
    // Text, calls and the first call's thoughtSignature all survive the trip through OpenAI's shape.
    expect(request.value.contents[1]).toEqual({ role: "model", parts: original });
    expect(request.value.contents[2]?.parts).toEqual([
      { functionResponse: { name: "get_weather", response: { content: "result of get_weather" } } },
      { functionResponse: { name: "get_time", response: { content: "result of get_time" } } },
    ]);
  });

  it("a streamed answer accumulates to the non-streamed translation of the same candidate", () => {
    const translator = createGeminiStreamTranslator(context());
    const streamed = accumulate([
      ...parseSse(TOOL_STREAM).flatMap((event) => translator.push(event)),
      ...translator.end(),
    ]);
    const whole = fromGeminiResponse(
      {
        candidates: [
          {
            content: {
              role: "model",
              parts: [
                { text: "Checking." },
                { functionCall: { name: "get_weather", args: { location: "San Francisco, CA" } } },
                { functionCall: { name: "get_time", args: {} } },
              ],
            },
            finishReason: "STOP",
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 60, candidatesTokenCount: 25, totalTokenCount: 85 },
      },
      context(),
    );
    if (!whole.ok) throw new Error(whole.error.body.error.message);
    const choice = whole.value.choices[0];
    expect(streamed.choices[0]).toEqual({
      content: choice?.message.content,
      toolCalls: choice?.message.tool_calls,
      finishReason: choice?.finish_reason,
    });
    expect(streamed.usage).toEqual(whole.value.usage);
  });
});
