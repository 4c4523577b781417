import { describe, expect, it } from "vitest";
import { parseChatRequest, parseChatRequestJson, requestedMaxTokens, stopSequences } from "./parse-request";

const base = { model: "openai-prod/gpt-4o", messages: [{ role: "user", content: "Hi" }] };

function errorOf(input: unknown) {
  const result = parseChatRequest(input);
  if (result.ok) throw new Error("expected the request to be refused");
  return result.error;
}

describe("parseChatRequest", () => {
  it("accepts a full request with every supported field", () => {
    const result = parseChatRequest({
      ...base,
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "low" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "look", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "a cat" },
      ],
      tools: [{ type: "function", function: { name: "look", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "look" } },
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" }, strict: true },
      },
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["\n\n"],
      seed: 7,
      n: 1,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(result.ok).toBe(true);
  });

  it("refuses a body that is not an object with a 400, not a throw", () => {
    for (const input of [null, 42, "text", [], undefined]) {
      const error = errorOf(input);
      expect(error.status).toBe(400);
      expect(error.body.error.type).toBe("invalid_request_error");
    }
  });

  it("names the offending field in message and param", () => {
    const error = errorOf({
      ...base,
      messages: [
        { role: "user", content: "ok" },
        { role: "wizard", content: "x" },
      ],
    });
    expect(error.body.error.message).toContain("messages[1].role");
    expect(error.body.error.message).toContain("role must be one of");
    expect(error.body.error.param).toBe("messages[1].role");
  });

  it("refuses an unsupported content part type clearly", () => {
    const error = errorOf({
      ...base,
      messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }],
    });
    expect(error.body.error.message).toContain("messages[0].content");
  });

  it("refuses out-of-range sampling values and an empty message list", () => {
    expect(errorOf({ ...base, temperature: 3 }).body.error.param).toBe("temperature");
    expect(errorOf({ ...base, top_p: -1 }).body.error.param).toBe("top_p");
    expect(errorOf({ ...base, n: 0 }).body.error.param).toBe("n");
    expect(errorOf({ ...base, stop: ["a", "b", "c", "d", "e"] }).body.error.param).toBe("stop");
    expect(errorOf({ ...base, messages: [] }).body.error.message).toContain("at least one message");
  });

  it("refuses stream_options without stream, and tool_choice without tools", () => {
    expect(errorOf({ ...base, stream_options: { include_usage: true } }).body.error.param).toBe("stream_options");
    expect(errorOf({ ...base, tool_choice: "required" }).body.error.param).toBe("tool_choice");
    const tools = [{ type: "function", function: { name: "a" } }];
    expect(
      errorOf({ ...base, tools, tool_choice: { type: "function", function: { name: "b" } } }).body.error.message,
    ).toContain('"b"');
    expect(errorOf({ ...base, tools: [...tools, ...tools] }).body.error.message).toContain("unique");
  });

  it("reports at most three issues and says how many more there are", () => {
    const error = errorOf({ model: "", messages: [], temperature: 9, top_p: 9, n: -1 });
    expect(error.body.error.message).toMatch(/and 2 more/);
  });
});

describe("parseChatRequestJson", () => {
  it("answers broken JSON with a 400 invalid_json", () => {
    const result = parseChatRequestJson('{"model": "x", ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.body.error.code).toBe("invalid_json");
  });
});

describe("request helpers", () => {
  it("prefers max_completion_tokens over max_tokens", () => {
    const parsed = parseChatRequest({ ...base, max_tokens: 10, max_completion_tokens: 20 });
    expect(parsed.ok && requestedMaxTokens(parsed.value)).toBe(20);
  });

  it("turns a single stop string into a list and drops an empty list", () => {
    const one = parseChatRequest({ ...base, stop: "END" });
    const none = parseChatRequest({ ...base, stop: [] });
    expect(one.ok && stopSequences(one.value)).toEqual(["END"]);
    expect(none.ok && stopSequences(none.value)).toBeUndefined();
  });
});
