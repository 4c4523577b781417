import { describe, expect, test } from "vitest";
import { parseDataset } from "@/lib/evals/dataset-import";

describe("JSONL import", () => {
  test("prompt or messages, expected output under any of its names, metadata", () => {
    const text = [
      '{"prompt": "2+2?", "expected": 4}',
      "",
      '{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}], "expected_output": "Paris", "metadata": {"topic": "geo"}}',
    ].join("\n");
    const result = parseDataset(text, "jsonl");
    expect(result).toEqual({
      ok: true,
      cases: [
        { prompt: "2+2?", messages: null, expectedOutput: "4", metadata: {} },
        {
          prompt: null,
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Capital of France?" },
          ],
          expectedOutput: "Paris",
          metadata: { topic: "geo" },
        },
      ],
    });
  });

  test("bad rows are reported by line and nothing is returned", () => {
    const text = [
      '{"prompt": "ok", "expected": "x"}',
      "{not json",
      '["array"]',
      '{"expected": "no input"}',
      '{"prompt": "both", "messages": [{"role": "user", "content": "x"}]}',
      '{"messages": [{"role": "robot", "content": "x"}]}',
      '{"prompt": "nul \\u0000"}',
    ].join("\n");
    const result = parseDataset(text, "jsonl");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(result.errors[0]!.message).toMatch(/JSON/);
    expect(result.errors[2]!.message).toMatch(/exactly one/);
    expect(result.errors[4]!.message).toMatch(/role/);
    expect(result.errors[5]!.message).toMatch(/NUL/);
  });

  test("an empty file is an error, not an empty dataset", () => {
    expect(parseDataset("\n\n", "jsonl")).toMatchObject({ ok: false, errors: [{ line: 1 }] });
  });
});

describe("CSV import", () => {
  test("header row, quoted cells with commas and newlines, extra columns into metadata", () => {
    const text = 'prompt,expected_output,difficulty\n"Say ""hi"", please",hi,easy\n"Line one\nline two",2,hard\n';
    const result = parseDataset(text, "csv");
    expect(result).toEqual({
      ok: true,
      cases: [
        { prompt: 'Say "hi", please', messages: null, expectedOutput: "hi", metadata: { difficulty: "easy" } },
        { prompt: "Line one\nline two", messages: null, expectedOutput: "2", metadata: { difficulty: "hard" } },
      ],
    });
  });

  test("messages and metadata as JSON cells; bad JSON is reported on its line", () => {
    const text =
      'messages,expected,metadata\n"[{""role"":""user"",""content"":""hi""}]",hello,"{""a"":1}"\n"[oops",x,\n';
    const result = parseDataset(text, "csv");
    expect(result).toEqual({ ok: false, errors: [{ line: 3, message: "messages is not valid JSON." }] });
  });

  test("a header without prompt or messages, and broken quoting, are refused", () => {
    expect(parseDataset("question,answer\nx,y\n", "csv")).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    const broken = parseDataset('prompt,expected\n"unclosed,x\n', "csv");
    expect(broken.ok).toBe(false);
  });
});
