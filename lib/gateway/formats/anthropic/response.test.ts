import { describe, expect, it } from "vitest";
import { STOP_REASONS } from "./config";
import {
  INVALID_REQUEST_ERROR,
  JSON_TOOL_RESPONSE,
  OVERLOADED_ERROR,
  TEXT_RESPONSE,
  TOOL_USE_RESPONSE,
} from "./fixtures";
import { finishReason, fromAnthropicError, fromAnthropicResponse } from "./response";

const response = { created: 1_764_633_600, model: "anthropic-prod/claude-sonnet-4-5" };

function translate(body: unknown, jsonToolName?: string) {
  const result = fromAnthropicResponse(body, jsonToolName ? { jsonToolName } : {}, response);
  if (!result.ok) throw new Error(result.error.body.error.message);
  return result.value;
}

describe("fromAnthropicResponse", () => {
  it("turns a text message into a chat.completion with the caller's model name", () => {
    expect(translate(TEXT_RESPONSE)).toEqual({
      id: "msg_01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion",
      created: response.created,
      model: response.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello! How can I help you today?", refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      // 12 uncached + 2048 cache reads + 100 cache writes: every prompt token the provider billed.
      usage: {
        prompt_tokens: 2160,
        completion_tokens: 10,
        total_tokens: 2170,
        prompt_tokens_details: { cached_tokens: 2048 },
      },
    });
  });

  it("turns tool_use blocks into tool_calls with JSON string arguments and skips thinking", () => {
    const choice = translate(TOOL_USE_RESPONSE).choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("I'll check the weather in Paris.");
    expect(choice?.message.tool_calls).toEqual([
      {
        id: "toolu_01A09q90qw90lq917835lq9",
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"Paris, FR","unit":"celsius"}' },
      },
      { id: "toolu_01B19q90qw90lq917835lq0", type: "function", function: { name: "get_time", arguments: "{}" } },
    ]);
  });

  it("leaves content null when the answer is only tool calls", () => {
    const body = {
      ...TOOL_USE_RESPONSE,
      content: TOOL_USE_RESPONSE.content.filter((block) => block.type === "tool_use"),
    };
    expect(translate(body).choices[0]?.message.content).toBeNull();
  });

  it("returns the emulated json tool's input as the message text with finish_reason stop", () => {
    const choice = translate(JSON_TOOL_RESPONSE, "json_response").choices[0];
    expect(JSON.parse(choice?.message.content ?? "")).toEqual({ city: "Paris", population: 2102650 });
    expect(choice?.message.tool_calls).toBeUndefined();
    expect(choice?.finish_reason).toBe("stop");
  });

  it("counts missing cache fields as zero", () => {
    expect(translate(JSON_TOOL_RESPONSE).usage).toEqual({
      prompt_tokens: 51,
      completion_tokens: 30,
      total_tokens: 81,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it("refuses a body that is not a Messages response as a 502", () => {
    for (const body of [null, "<html>", { id: "x" }, OVERLOADED_ERROR]) {
      const result = fromAnthropicResponse(body, {}, response);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.status).toBe(502);
    }
  });
});

describe("finishReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
  ])("maps %s to %s", (stopReason, expected) => {
    expect(finishReason(stopReason, {})).toBe(expected);
  });

  it("covers every stop reason in the table, and unknown or missing ones safely", () => {
    expect(Object.keys(STOP_REASONS)).toHaveLength(7);
    expect(finishReason("some_future_reason", {})).toBe("stop");
    expect(finishReason("constructor", {})).toBe("stop");
    expect(finishReason(null, {})).toBeNull();
  });
});

describe("fromAnthropicError", () => {
  it.each([
    [400, { type: "error", error: { type: "invalid_request_error", message: "bad" } }, 400, "invalid_request_error"],
    [
      401,
      { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } },
      502,
      "upstream_error",
    ],
    [403, { type: "error", error: { type: "permission_error", message: "no" } }, 502, "upstream_error"],
    [404, { type: "error", error: { type: "not_found_error", message: "model: x" } }, 404, "not_found_error"],
    [413, { type: "error", error: { type: "request_too_large", message: "too big" } }, 413, "invalid_request_error"],
    [429, { type: "error", error: { type: "rate_limit_error", message: "slow down" } }, 429, "rate_limit_error"],
    [500, { type: "error", error: { type: "api_error", message: "oops" } }, 502, "upstream_error"],
    [504, { type: "error", error: { type: "timeout_error", message: "timeout" } }, 504, "upstream_error"],
    [529, OVERLOADED_ERROR, 503, "server_error"],
  ])("an upstream %i %j becomes %i %s", (status, body, expectedStatus, expectedType) => {
    const error = fromAnthropicError(status, body);
    expect(error.status).toBe(expectedStatus);
    expect(error.body.error.type).toBe(expectedType);
    expect(error.body.error.message.startsWith("anthropic: ")).toBe(true);
  });

  it("keeps the provider's message and falls back to the status when the body is not Anthropic's", () => {
    expect(fromAnthropicError(400, INVALID_REQUEST_ERROR).body.error.message).toBe(
      "anthropic: messages: text content blocks must be non-empty",
    );
    expect(fromAnthropicError(503, "<html>Service Unavailable</html>")).toMatchObject({
      status: 503,
      body: { error: { code: "upstream_overloaded" } },
    });
    expect(fromAnthropicError(502, null).body.error.message).toBe("anthropic returned an error");
  });
});
