import { describe, expect, it } from "vitest";
import { parseChatRequest } from "../openai/parse-request";
import type { ChatRequest } from "../openai/request-schema";
import { geminiConfig, IGNORED_FIELDS } from "./config";
import { toGeminiRequest, type GeminiRequestOptions } from "./request";

function chat(body: Record<string, unknown>): ChatRequest {
  const parsed = parseChatRequest({ model: "gemini-prod/gemini-2.5-flash", ...body });
  if (!parsed.ok) throw new Error(parsed.error.body.error.message);
  return parsed.value;
}

function translate(body: Record<string, unknown>, options: GeminiRequestOptions = {}) {
  const result = toGeminiRequest(chat(body), options);
  if (!result.ok) throw new Error(result.error.body.error.message);
  return result.value;
}

function refusal(body: Record<string, unknown>) {
  const result = toGeminiRequest(chat(body));
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
}

const hi = [{ role: "user", content: "Hi" }];
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};

describe("toGeminiRequest", () => {
  it("lifts system prompts into systemInstruction and maps roles to user/model, merging neighbours", () => {
    const request = translate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: "Use metric." },
        { role: "user", content: "One" },
        {
          role: "user",
          content: [
            { type: "text", text: "Two" },
            { type: "image_url", image_url: { url: "data:image/webp;base64,UklGRg==" } },
          ],
        },
        { role: "assistant", content: "Sure" },
      ],
    });
    expect(request.systemInstruction).toEqual({ parts: [{ text: "Be brief." }, { text: "Use metric." }] });
    expect(request.contents).toEqual([
      {
        role: "user",
        parts: [{ text: "One" }, { text: "Two" }, { inlineData: { mimeType: "image/webp", data: "UklGRg==" } }],
      },
      { role: "model", parts: [{ text: "Sure" }] },
    ]);
  });

  it("sends image URLs as fileData with a MIME type from the extension", () => {
    const request = translate({
      messages: [
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.PNG?x=1" } }] },
      ],
    });
    expect(request.contents[0]?.parts).toEqual([
      { fileData: { mimeType: "image/png", fileUri: "https://example.com/a.PNG?x=1" } },
    ]);
  });

  it("turns tool calls into functionCall parts and tool results into functionResponse parts named by call id", () => {
    const request = translate({
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_b", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: '{"temp":18}' },
        { role: "tool", tool_call_id: "call_b", content: "14:00" },
      ],
    });
    expect(request.contents.slice(1)).toEqual([
      // A history without Gemini's signatures gets Google's skip marker on the turn's first call.
      {
        role: "model",
        parts: [
          {
            functionCall: { name: "get_weather", args: { city: "Paris" } },
            thoughtSignature: "skip_thought_signature_validator",
          },
          { functionCall: { name: "get_time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { temp: 18 } } },
          { functionResponse: { name: "get_time", response: { content: "14:00" } } },
        ],
      },
    ]);
  });

  it("declares tools with Gemini's schema subset and maps tool_choice to functionCallingConfig", () => {
    const noArgs = { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } };
    const request = translate({ messages: hi, tools: [weatherTool, noArgs], tool_choice: "required" });
    expect(request.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
          { name: "now" },
        ],
      },
    ]);
    expect(request.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(
      translate({ messages: hi, tools: [weatherTool], tool_choice: "auto" }).toolConfig?.functionCallingConfig.mode,
    ).toBe("AUTO");
    expect(
      translate({ messages: hi, tools: [weatherTool], tool_choice: "none" }).toolConfig?.functionCallingConfig.mode,
    ).toBe("NONE");
    const named = translate({
      messages: hi,
      tools: [weatherTool],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(named.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } });
  });

  it("maps sampling, output, stop, seed and n into generationConfig", () => {
    const request = translate({
      messages: hi,
      temperature: 1.5,
      top_p: 0.5,
      max_completion_tokens: 256,
      stop: ["END"],
      seed: 42,
      n: 2,
    });
    expect(request.generationConfig).toEqual({
      temperature: 1.5,
      topP: 0.5,
      maxOutputTokens: 256,
      stopSequences: ["END"],
      seed: 42,
      candidateCount: 2,
    });
    expect(translate({ messages: hi }).generationConfig).toBeUndefined();
    const dropped = translate({ messages: hi, tools: [weatherTool], parallel_tool_calls: false, user: "u1" });
    for (const field of IGNORED_FIELDS) expect(JSON.stringify(dropped)).not.toContain(`"${field}":`);
  });

  it("maps response_format to responseMimeType and a converted responseSchema", () => {
    const schema = {
      type: "object",
      properties: { tags: { type: "array", items: { $ref: "#/$defs/tag" } }, note: { type: ["string", "null"] } },
      $defs: { tag: { type: "string", enum: ["a", "b"] } },
      additionalProperties: false,
    };
    const request = translate({
      messages: hi,
      response_format: { type: "json_schema", json_schema: { name: "out", schema } },
    });
    expect(request.generationConfig).toEqual({
      responseMimeType: "application/json",
      responseSchema: {
        type: "object",
        properties: {
          tags: { type: "array", items: { type: "string", enum: ["a", "b"] } },
          note: { type: "string", nullable: true },
        },
      },
    });
    expect(translate({ messages: hi, response_format: { type: "json_object" } }).generationConfig).toEqual({
      responseMimeType: "application/json",
    });
  });

  it("sends JSON Schema unchanged in the *JsonSchema fields when asked to", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, additionalProperties: false };
    const request = translate(
      {
        messages: hi,
        tools: [weatherTool],
        response_format: { type: "json_schema", json_schema: { name: "out", schema } },
      },
      { jsonSchemaFields: true },
    );
    expect(request.generationConfig?.responseJsonSchema).toEqual(schema);
    expect(request.tools?.[0]?.functionDeclarations[0]?.parametersJsonSchema).toEqual(weatherTool.function.parameters);
  });

  it("refuses with a 400 naming the field", () => {
    expect(refusal({ messages: [{ role: "tool", tool_call_id: "nope", content: "x" }] }).body.error.param).toBe(
      "messages[0].tool_call_id",
    );
    expect(refusal({ messages: hi, n: 9 }).body.error.param).toBe("n");
    const recursive = { type: "object", properties: { child: { $ref: "#" } } };
    expect(
      refusal({ messages: hi, response_format: { type: "json_schema", json_schema: { name: "r", schema: recursive } } })
        .body.error.code,
    ).toBe("unsupported_parameter");
    const badArgs = {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "[1]" } }],
    };
    expect(refusal({ messages: [badArgs] }).body.error.param).toBe("messages[0].tool_calls[0].function.arguments");
  });

  it("builds the generate and streaming paths with alt=sse", () => {
    expect(geminiConfig.path("models/gemini-2.5-flash", false)).toBe("/models/gemini-2.5-flash:generateContent");
    expect(geminiConfig.path("gemini-2.5-flash", true)).toBe("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  });
});
