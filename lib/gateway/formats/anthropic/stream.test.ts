import { describe, expect, it } from "vitest";
import type { ChatChunk, StreamOutput } from "../openai/types";
import { SseParser } from "../sse";
import { feedInSplits, splitPoints } from "../test-support/splits";
import { ERROR_STREAM, JSON_TOOL_STREAM, TEXT_STREAM, TOOL_STREAM } from "./fixtures";
import { createAnthropicStreamTranslator } from "./stream";
import type { AnthropicRequestContext } from "./types";

const response = { created: 1_764_633_600, model: "anthropic-prod/claude-sonnet-4-5" };

function run(
  stream: string,
  cuts: number[] | null,
  options: { includeUsage?: boolean; request?: AnthropicRequestContext } = {},
) {
  const translator = createAnthropicStreamTranslator(options.request ?? {}, {
    ...response,
    includeUsage: options.includeUsage,
  });
  const parser = new SseParser();
  const bytes = new TextEncoder().encode(stream);
  const outputs = feedInSplits(
    bytes,
    cuts ?? [],
    (piece) => parser.push(piece).flatMap((event) => translator.push(event)),
    () => [...parser.end().flatMap((event) => translator.push(event)), ...translator.end()],
  );
  return { outputs, usage: translator.usage };
}

function chunks(outputs: StreamOutput[]): ChatChunk[] {
  return outputs.flatMap((output) => (output.type === "chunk" ? [output.chunk] : []));
}

function contentOf(outputs: StreamOutput[]): string {
  return chunks(outputs)
    .map((chunk) => chunk.choices[0]?.delta.content ?? "")
    .join("");
}

describe("Anthropic stream translator", () => {
  it("turns a text stream into role, content and finish chunks, then done", () => {
    const { outputs } = run(TEXT_STREAM, null);
    expect(outputs.map((output) => output.type)).toEqual(["chunk", "chunk", "chunk", "chunk", "done"]);
    const all = chunks(outputs);
    expect(all[0]).toEqual({
      id: "msg_01Stream",
      object: "chat.completion.chunk",
      created: response.created,
      model: response.model,
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null, logprobs: null }],
    });
    expect(contentOf(outputs)).toBe("Hello, wörld 🌍!");
    expect(all.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: "stop", logprobs: null });
    expect(all.some((chunk) => "usage" in chunk)).toBe(false);
  });

  it("adds the usage chunk only when include_usage was asked for, with cache reads counted", () => {
    const { outputs, usage } = run(TEXT_STREAM, null, { includeUsage: true });
    const all = chunks(outputs);
    const last = all.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 1025,
      completion_tokens: 15,
      total_tokens: 1040,
      prompt_tokens_details: { cached_tokens: 1000 },
    });
    expect(all.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(usage).toEqual(last?.usage);
  });

  it("numbers tool calls from 0, skips thinking, and streams arguments as input_json_delta arrives", () => {
    const { outputs } = run(TOOL_STREAM, null);
    const toolDeltas = chunks(outputs).flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(toolDeltas.every((delta) => delta.index === 0)).toBe(true);
    expect(JSON.parse(toolDeltas.map((delta) => delta.function.arguments).join(""))).toEqual({
      location: "San Francisco, CA",
    });
    expect(contentOf(outputs)).toBe("Checking.");
    expect(chunks(outputs).at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("streams the emulated json tool's input as content with finish_reason stop", () => {
    const { outputs } = run(JSON_TOOL_STREAM, null, { request: { jsonToolName: "json_response" } });
    expect(contentOf(outputs)).toBe('{"ok":true}');
    expect(chunks(outputs).some((chunk) => chunk.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks(outputs).at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("ends with an OpenAI error on an upstream error event and keeps the usage seen so far", () => {
    const { outputs, usage } = run(ERROR_STREAM, null);
    const last = outputs.at(-1);
    expect(last).toMatchObject({
      type: "error",
      error: { status: 503, body: { error: { code: "upstream_overloaded" } } },
    });
    expect(contentOf(outputs)).toBe("Par");
    expect(usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 1 });
  });

  it("reports a stream cut before message_stop, and malformed JSON, as 502 errors", () => {
    const cut = TEXT_STREAM.slice(0, TEXT_STREAM.indexOf("event: message_delta"));
    expect(run(cut, null).outputs.at(-1)).toMatchObject({ type: "error", error: { status: 502 } });
    expect(run("event: message_start\ndata: {oops\n\n", null).outputs).toMatchObject([
      { type: "error", error: { status: 502 } },
    ]);
  });

  it("gives identical output fed byte by byte and in 100 random splits", () => {
    for (const stream of [TEXT_STREAM, TOOL_STREAM]) {
      const whole = run(stream, null, { includeUsage: true }).outputs;
      const length = new TextEncoder().encode(stream).length;
      const everyByte = Array.from({ length: length - 1 }, (_, i) => i + 1);
      expect(run(stream, everyByte, { includeUsage: true }).outputs).toEqual(whole);
      for (let seed = 1; seed <= 100; seed++) {
        expect(run(stream, splitPoints(length, seed), { includeUsage: true }).outputs).toEqual(whole);
      }
    }
  });
});
