import { describe, expect, it } from "vitest";
import { parseSse } from "../sse";
import { inspectPassthroughEvent, readUsage, requestStreamUsage } from "./passthrough";

// An OpenAI stream with include_usage on, as api.openai.com sends it.
const chunk = (delta: unknown, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], usage: null })}\n\n`;
const USAGE = {
  prompt_tokens: 1200,
  completion_tokens: 7,
  total_tokens: 1207,
  prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};
const STREAM =
  chunk({ role: "assistant", content: "" }) +
  chunk({ content: "Hi" }) +
  chunk({}, "stop") +
  `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [], usage: USAGE })}\n\n` +
  "data: [DONE]\n\n";

describe("requestStreamUsage", () => {
  it("asks a stream for usage and remembers that the caller did not", () => {
    const { body, callerAskedForUsage } = requestStreamUsage({
      model: "m",
      stream: true,
      stream_options: { other: 1 },
    });
    expect(body.stream_options).toEqual({ other: 1, include_usage: true });
    expect(callerAskedForUsage).toBe(false);
  });

  it("leaves non-streamed requests and callers who asked already untouched", () => {
    const plain = { model: "m" };
    expect(requestStreamUsage(plain).body).toBe(plain);
    const asked = { model: "m", stream: true, stream_options: { include_usage: true } };
    expect(requestStreamUsage(asked)).toEqual({ body: asked, callerAskedForUsage: true });
  });
});

describe("inspectPassthroughEvent", () => {
  it("reads the usage chunk and drops it only for callers who did not ask for it", () => {
    for (const asked of [false, true]) {
      const results = parseSse(STREAM).map((event) => inspectPassthroughEvent(event, asked));
      expect(results.map((result) => result.forward)).toEqual([true, true, true, asked, true]);
      expect(results.map((result) => result.done)).toEqual([false, false, false, false, true]);
      expect(results[3]?.usage).toEqual({
        prompt_tokens: 1200,
        completion_tokens: 7,
        total_tokens: 1207,
        prompt_tokens_details: { cached_tokens: 1024 },
      });
    }
  });

  it("keeps a chunk that carries content next to usage, as some compatible providers send", () => {
    const data = JSON.stringify({
      choices: [{ index: 0, delta: { content: "x" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1 },
    });
    expect(inspectPassthroughEvent({ data }, false)).toEqual({
      forward: true,
      usage: readUsage({ prompt_tokens: 3, completion_tokens: 1 }),
      done: false,
    });
    expect(readUsage({ prompt_tokens: 3, completion_tokens: 1 })?.total_tokens).toBe(4);
  });

  it("forwards what it cannot parse untouched", () => {
    expect(inspectPassthroughEvent({ data: '{"usage": broken' }, false)).toEqual({
      forward: true,
      usage: null,
      done: false,
    });
    expect(readUsage("nope")).toBeNull();
  });
});
