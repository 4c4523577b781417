import { describe, expect, it } from "vitest";
import type { ChatChunk, StreamOutput } from "../openai/types";
import { SseParser } from "../sse";
import { accumulate } from "../test-support/accumulate";
import { feedInSplits, splitPoints } from "../test-support/splits";
import { ERROR_STREAM, TEXT_STREAM, TOOL_STREAM, TWO_CANDIDATES_STREAM } from "./fixtures";
import { createGeminiStreamTranslator } from "./stream";

function ids() {
  let next = 0;
  return () => `call_test_${next++}`;
}

function run(stream: string, cuts: number[] | null, includeUsage = false) {
  const translator = createGeminiStreamTranslator({
    created: 1_764_633_600,
    model: "gemini-prod/gemini-2.5-flash",
    includeUsage,
    newToolCallId: ids(),
  });
  const parser = new SseParser();
  const outputs = feedInSplits(
    new TextEncoder().encode(stream),
    cuts ?? [],
    (piece) => parser.push(piece).flatMap((event) => translator.push(event)),
    () => [...parser.end().flatMap((event) => translator.push(event)), ...translator.end()],
  );
  return { outputs, usage: translator.usage };
}

function chunks(outputs: StreamOutput[]): ChatChunk[] {
  return outputs.flatMap((output) => (output.type === "chunk" ? [output.chunk] : []));
}

describe("Gemini stream translator", () => {
  it("turns partial responses into role, content and finish chunks, ending with done at end()", () => {
    const { outputs } = run(TEXT_STREAM, null);
    const all = chunks(outputs);
    expect(all[0]).toEqual({
      id: "streamResp01",
      object: "chat.completion.chunk",
      created: 1_764_633_600,
      model: "gemini-prod/gemini-2.5-flash",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null, logprobs: null }],
    });
    expect(accumulate(outputs).choices[0]).toEqual({
      content: "Hello, wörld 🌍!",
      toolCalls: [],
      finishReason: "stop",
    });
    expect(outputs.at(-1)).toEqual({ type: "done" });
    expect(all.some((chunk) => "usage" in chunk)).toBe(false);
  });

  it("adds the last usageMetadata as the usage chunk only when include_usage was asked for", () => {
    const { outputs, usage } = run(TEXT_STREAM, null, true);
    const expected = {
      prompt_tokens: 9,
      completion_tokens: 18,
      total_tokens: 27,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 12 },
    };
    expect(chunks(outputs).at(-1)).toMatchObject({ choices: [], usage: expected });
    expect(usage).toEqual(expected);
  });

  it("sends each functionCall whole as one tool call delta and finishes with tool_calls", () => {
    const { outputs } = run(TOOL_STREAM, null);
    expect(accumulate(outputs).choices[0]).toEqual({
      content: "Checking.",
      toolCalls: [
        {
          id: "call_test_0",
          type: "function",
          function: { name: "get_weather", arguments: '{"location":"San Francisco, CA"}' },
        },
        { id: "call_test_1", type: "function", function: { name: "get_time", arguments: "{}" } },
      ],
      finishReason: "tool_calls",
    });
  });

  it("carries a functionCall's thoughtSignature in the tool call id", () => {
    const part = { functionCall: { name: "f", args: {} }, thoughtSignature: "c2ln" };
    const stream = `data: ${JSON.stringify({ candidates: [{ content: { parts: [part] }, finishReason: "STOP", index: 0 }] })}\r\n\r\n`;
    expect(accumulate(run(stream, null).outputs).choices[0]?.toolCalls[0]?.id).toMatch(/^call_test_\d+~ts~c2ln$/);
  });

  it("keeps several candidates apart by choice index", () => {
    const { outputs } = run(TWO_CANDIDATES_STREAM, null, true);
    const { choices, usage } = accumulate(outputs);
    expect(choices).toEqual([
      { content: "A1A2", toolCalls: [], finishReason: "stop" },
      { content: "B1B2", toolCalls: [], finishReason: "length" },
    ]);
    expect(usage?.completion_tokens).toBe(8);
  });

  it("ends with an OpenAI error on an in-stream error and keeps the usage seen so far", () => {
    const { outputs, usage } = run(ERROR_STREAM, null);
    expect(outputs.at(-1)).toMatchObject({
      type: "error",
      error: { status: 503, body: { error: { message: "gemini: The model is overloaded. Please try again later." } } },
    });
    expect(usage?.prompt_tokens).toBe(9);
  });

  it("reports a stream that closes before any finishReason, or sends junk, as a 502", () => {
    const cut = TEXT_STREAM.slice(0, TEXT_STREAM.lastIndexOf("data:"));
    expect(run(cut, null).outputs.at(-1)).toMatchObject({ type: "error", error: { status: 502 } });
    expect(run("", null).outputs).toMatchObject([{ type: "error", error: { status: 502 } }]);
    expect(run("data: nope\n\n", null).outputs).toMatchObject([{ type: "error", error: { status: 502 } }]);
  });

  it("answers a blocked prompt with a content_filter finish", () => {
    const blocked = `data: ${JSON.stringify({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, responseId: "b1" })}\r\n\r\n`;
    const { outputs } = run(blocked, null);
    expect(accumulate(outputs).choices[0]?.finishReason).toBe("content_filter");
    expect(outputs.at(-1)).toEqual({ type: "done" });
  });

  it("gives identical output fed byte by byte and in 100 random splits", () => {
    for (const stream of [TEXT_STREAM, TOOL_STREAM, TWO_CANDIDATES_STREAM]) {
      const whole = run(stream, null, true).outputs;
      const length = new TextEncoder().encode(stream).length;
      expect(
        run(
          stream,
          Array.from({ length: length - 1 }, (_, i) => i + 1),
          true,
        ).outputs,
      ).toEqual(whole);
      for (let seed = 1; seed <= 100; seed++)
        expect(run(stream, splitPoints(length, seed), true).outputs).toEqual(whole);
    }
  });
});
