import { describe, expect, it } from "vitest";
import { formatSse, formatSseJson, parseSse, SSE_DONE, SseParser, type SseEvent } from "./sse";
import { feedInSplits, splitPoints } from "./test-support/splits";

const RECORDED =
  "\uFEFF: upstream comment\r\n" +
  'event: message_start\r\ndata: {"a":1}\r\n\r\n' +
  "event: delta\ndata: first line\ndata: second line — ünïcødé 🙂\n\n" +
  "data:no-space\rid: 42\r\r" +
  ": keep-alive\n\n" +
  "retry: 1000\nunknown: x\ndata\n\n" +
  "data: [DONE]\n\n";

const EXPECTED: SseEvent[] = [
  { event: "message_start", data: '{"a":1}' },
  { event: "delta", data: "first line\nsecond line — ünïcødé 🙂" },
  { data: "no-space", id: "42" },
  { data: "", id: "42" },
  { data: "[DONE]", id: "42" },
];

function parseBytes(bytes: Uint8Array, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  return feedInSplits(
    bytes,
    cuts,
    (piece) => parser.push(piece),
    () => parser.end(),
  );
}

describe("SseParser", () => {
  it("parses LF, CR and CRLF lines, comments, multi-line data, ids and a BOM", () => {
    expect(parseSse(RECORDED)).toEqual(EXPECTED);
  });

  it("gives the same events fed byte by byte, splitting CRLF pairs and UTF-8 characters", () => {
    const bytes = new TextEncoder().encode(RECORDED);
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(parseBytes(bytes, everyByte)).toEqual(EXPECTED);
  });

  it("gives the same events for 200 random splits", () => {
    const bytes = new TextEncoder().encode(RECORDED);
    for (let seed = 1; seed <= 200; seed++) {
      expect(parseBytes(bytes, splitPoints(bytes.length, seed))).toEqual(EXPECTED);
    }
  });

  it("does not dispatch an event until its blank line arrives", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ data: "a" }]);
  });

  it("dispatches a last event that has no closing blank line at end()", () => {
    const parser = new SseParser();
    expect(parser.push('data: {"usage":1}')).toEqual([]);
    expect(parser.end()).toEqual([{ data: '{"usage":1}' }]);
  });

  it("ignores events with no data lines", () => {
    expect(parseSse("event: ping\n\n: only a comment\n\n")).toEqual([]);
  });
});

describe("SSE writer", () => {
  it("writes data, event and id lines that the parser reads back", () => {
    const event = { event: "content_block_delta", id: "7", data: "one\ntwo\r\nthree" };
    expect(formatSse(event)).toBe("event: content_block_delta\nid: 7\ndata: one\ndata: two\ndata: three\n\n");
    expect(parseSse(formatSse(event))).toEqual([{ ...event, data: "one\ntwo\nthree" }]);
  });

  it("writes JSON on one data line and the [DONE] marker OpenAI clients wait for", () => {
    expect(formatSseJson({ a: "x\ny" })).toBe('data: {"a":"x\\ny"}\n\n');
    expect(parseSse(formatSseJson({ a: 1 }) + SSE_DONE)).toEqual([{ data: '{"a":1}' }, { data: "[DONE]" }]);
  });
});
