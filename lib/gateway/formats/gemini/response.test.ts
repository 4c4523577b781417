import { describe, expect, it } from "vitest";
import { FINISH_REASONS } from "./config";
import {
  API_KEY_INVALID_ERROR,
  BLOCKED_PROMPT_RESPONSE,
  FUNCTION_CALL_RESPONSE,
  QUOTA_ERROR,
  TEXT_RESPONSE,
  TWO_CANDIDATES_RESPONSE,
} from "./fixtures";
import { finishReason, fromGeminiError, fromGeminiResponse } from "./response";

function ids() {
  let next = 0;
  return () => `call_test_${next++}`;
}

const context = () => ({ created: 1_764_633_600, model: "gemini-prod/gemini-2.5-flash", newToolCallId: ids() });

function translate(body: unknown) {
  const result = fromGeminiResponse(body, context());
  if (!result.ok) throw new Error(result.error.body.error.message);
  return result.value;
}

describe("fromGeminiResponse", () => {
  it("turns a text candidate into a chat.completion, leaving thoughts out of the content", () => {
    expect(translate(TEXT_RESPONSE)).toEqual({
      id: "mGqXaKqPI8qFz7IPtPmJoAg",
      object: "chat.completion",
      created: 1_764_633_600,
      model: "gemini-prod/gemini-2.5-flash",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello! How can I help?", refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      // The 1000 cached tokens are already inside promptTokenCount; thinking is billed as output.
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 60,
        total_tokens: 1260,
        prompt_tokens_details: { cached_tokens: 1000 },
        completion_tokens_details: { reasoning_tokens: 40 },
      },
    });
  });

  it("turns functionCall parts into tool_calls with made-up ids and finish_reason tool_calls", () => {
    const choice = translate(FUNCTION_CALL_RESPONSE).choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Let me look that up.");
    expect(choice?.message.tool_calls).toEqual([
      // The thoughtSignature rides in the id so it comes back with the history (see thought-signature.ts).
      {
        id: "call_test_0~ts~CiQB0e2Kb...",
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"Paris","unit":"celsius"}' },
      },
      { id: "call_test_1", type: "function", function: { name: "get_time", arguments: "{}" } },
    ]);
  });

  it("keeps Gemini's own call id when it sends one, and random ids are unique by default", () => {
    const withId = {
      candidates: [
        { content: { parts: [{ functionCall: { id: "fc_1", name: "f", args: {} } }] }, finishReason: "STOP" },
      ],
    };
    expect(translate(withId).choices[0]?.message.tool_calls?.[0]?.id).toBe("fc_1");
    const first = fromGeminiResponse(FUNCTION_CALL_RESPONSE, { created: 0, model: "m" });
    const calls = first.ok ? (first.value.choices[0]?.message.tool_calls ?? []) : [];
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(calls[1]?.id).toMatch(/^call_[0-9a-f]{24}$/);
  });

  it("orders several candidates by their index, one choice each", () => {
    const choices = translate(TWO_CANDIDATES_RESPONSE).choices;
    expect(choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, "First", "stop"],
      [1, "Second", "length"],
    ]);
  });

  it("answers a blocked prompt with one empty content_filter choice", () => {
    const response = translate(BLOCKED_PROMPT_RESPONSE);
    expect(response.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: null },
        finish_reason: "content_filter",
        logprobs: null,
      },
    ]);
    expect(response.usage?.prompt_tokens).toBe(8);
  });

  it("refuses a body that is not a generateContent response as a 502, without throwing on odd shapes", () => {
    for (const body of [null, [], "<html>", { foo: 1 }, API_KEY_INVALID_ERROR]) {
      const result = fromGeminiResponse(body, context());
      expect(result.ok ? 200 : result.error.status).toBe(502);
    }
    const odd = translate({
      candidates: [null, { content: { parts: "nope" }, index: "x", finishReason: 5 }],
      usageMetadata: { promptTokenCount: "7" },
    });
    expect(odd.choices).toMatchObject([{ index: 0, message: { content: "" }, finish_reason: "stop" }]);
    expect(odd.usage?.prompt_tokens).toBe(0);
  });
});

describe("finishReason", () => {
  it.each(Object.entries(FINISH_REASONS))("maps %s to %s", (reason, expected) => {
    expect(finishReason(reason, false)).toBe(expected);
  });

  it("reports tool_calls for a stop with function calls, but keeps length and content_filter", () => {
    expect(finishReason("STOP", true)).toBe("tool_calls");
    expect(finishReason("MAX_TOKENS", true)).toBe("length");
    expect(finishReason("SAFETY", true)).toBe("content_filter");
    expect(finishReason("SOMETHING_NEW", false)).toBe("stop");
    expect(finishReason(undefined, false)).toBeNull();
  });
});

describe("fromGeminiError", () => {
  it.each([
    [400, API_KEY_INVALID_ERROR, 502, "upstream_auth_failed"],
    [400, { error: { code: 400, message: "bad field", status: "INVALID_ARGUMENT" } }, 400, "invalid_request"],
    [403, { error: { code: 403, message: "denied", status: "PERMISSION_DENIED" } }, 502, "upstream_auth_failed"],
    [404, { error: { code: 404, message: "models/x is not found", status: "NOT_FOUND" } }, 404, "model_not_found"],
    [429, QUOTA_ERROR, 429, "upstream_rate_limited"],
    [500, { error: { code: 500, message: "internal", status: "INTERNAL" } }, 502, "upstream_error"],
    [503, [{ error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } }], 503, "upstream_overloaded"],
    [504, { error: { code: 504, message: "deadline", status: "DEADLINE_EXCEEDED" } }, 504, "upstream_timeout"],
    [502, "<html>Bad Gateway</html>", 502, "upstream_error"],
  ])("an upstream %i %j becomes %i %s", (status, body, expectedStatus, expectedCode) => {
    const error = fromGeminiError(status, body);
    expect(error.status).toBe(expectedStatus);
    expect(error.body.error.code).toBe(expectedCode);
  });

  it("passes on Gemini's message, prefixed with the provider kind", () => {
    expect(fromGeminiError(429, QUOTA_ERROR).body.error.message).toBe(
      "gemini: Resource has been exhausted (e.g. check quota).",
    );
  });
});
