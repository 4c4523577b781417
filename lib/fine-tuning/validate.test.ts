import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { checkLine, validateTrainingStream } from "@/lib/fine-tuning/validate";
import { splitLines } from "@/lib/fine-tuning/line-splitter";

const encoder = new TextEncoder();
const good = (n: number) =>
  JSON.stringify({
    messages: [
      { role: "system", content: "You answer briefly." },
      { role: "user", content: `What is ${n} + 1?` },
      { role: "assistant", content: `${n + 1}` },
    ],
  });

/** The text in chunks of `size` bytes, so lines straddle chunk boundaries. */
async function* chunked(text: string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("splitLines", () => {
  it("splits across chunk boundaries, drops \\r, keeps a last line without newline", async () => {
    const lines = [];
    for await (const line of splitLines(chunked("a\r\nbé\n\nlast", 2))) lines.push(line);
    expect(lines).toEqual([
      { lineNumber: 1, text: "a", tooLong: false },
      { lineNumber: 2, text: "bé", tooLong: false },
      { lineNumber: 3, text: "", tooLong: false },
      { lineNumber: 4, text: "last", tooLong: false },
    ]);
  });

  it("reports an over-long line once and goes on with the next", async () => {
    const lines = [];
    for await (const line of splitLines(chunked(`${"x".repeat(100)}\nok\n`, 9), { maxLineBytes: 10 })) lines.push(line);
    expect(lines).toEqual([
      { lineNumber: 1, tooLong: true },
      { lineNumber: 2, text: "ok", tooLong: false },
    ]);
  });
});

describe("checkLine", () => {
  it.each([
    ["not json", "is not valid JSON."],
    ["[1,2]", "is not a JSON object."],
    ['{"prompt":"x"}', 'has no "messages" array.'],
    ['{"messages":[]}', 'has an empty "messages" array.'],
    ['{"messages":[{"role":"robot","content":"x"},{"role":"assistant","content":"y"}]}', "message 1 has role"],
    [
      '{"messages":[{"role":"user","content":"  "},{"role":"assistant","content":"y"}]}',
      "message 1 (user) has empty content.",
    ],
    ['{"messages":[{"role":"user","content":"hi"},{"role":"assistant"}]}', "message 2 (assistant) has no content."],
    ['{"messages":[{"role":"user","content":"hi"}]}', "has no assistant message"],
    ['{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"y","weight":2}]}', "weight 2"],
  ])("%s → %s", (line, message) => {
    const result = checkLine(line);
    expect("error" in result && result.error).toContain(message);
  });

  it("accepts an assistant tool call without content, and content parts", () => {
    expect(
      checkLine(
        JSON.stringify({
          messages: [
            { role: "user", content: [{ type: "text", text: "weather?" }] },
            { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "w" } }] },
          ],
        }),
      ),
    ).not.toHaveProperty("error");
  });

  it("counts tokens: 3 per example, 3 + role + content per message", () => {
    const line = good(4);
    const expected =
      3 +
      (3 + countTokens("system") + countTokens("You answer briefly.")) +
      (3 + countTokens("user") + countTokens("What is 4 + 1?")) +
      (3 + countTokens("assistant") + countTokens("5"));
    expect(checkLine(line)).toEqual({ tokens: expected });
  });
});

describe("validateTrainingStream", () => {
  it("names exactly the bad lines, counts bytes and hashes the file", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => good(i));
    lines[2] = "{broken";
    lines[6] = '{"messages":[{"role":"user","content":"no answer"}]}';
    lines[9] = "";
    const text = `${lines.join("\n")}\n`;
    const report = await validateTrainingStream(chunked(text, 13));
    expect(report.errors.map((error) => error.line)).toEqual([3, 7, 10]);
    expect(report.errors[0]!.message).toBe("Line 3 is not valid JSON.");
    expect(report.ok).toBe(false);
    expect(report.lines).toBe(12);
    expect(report.examples).toBe(9);
    expect(report.bytes).toBe(encoder.encode(text).length);
    expect(report.sha256).toBe(createHash("sha256").update(text).digest("hex"));
  });

  it("caps the listed errors and says how many more", async () => {
    const text = Array.from({ length: 75 }, () => "nope").join("\n");
    const report = await validateTrainingStream(chunked(text, 100), { maxErrors: 50 });
    expect(report.errors).toHaveLength(50);
    expect(report.errors.at(-1)!.line).toBe(50);
    expect(report.moreErrors).toBe(25);
  });

  it("refuses a file with too few examples, an empty file and an over-large file", async () => {
    const few = await validateTrainingStream(chunked(`${good(1)}\n${good(2)}\n`));
    expect(few.fileErrors).toEqual(["The file has 2 examples; at least 10 are needed."]);
    expect((await validateTrainingStream(chunked(""))).fileErrors).toEqual(["The file is empty."]);
    const large = await validateTrainingStream(chunked(Array.from({ length: 40 }, (_, i) => good(i)).join("\n"), 64), {
      maxBytes: 1024 * 1024 * 0 + 500,
    });
    expect(large.ok).toBe(false);
    expect(large.fileErrors[0]).toMatch(/larger than/);
  });

  it("passes a good file with its token sum", async () => {
    const lines = Array.from({ length: 10 }, (_, i) => good(i));
    const report = await validateTrainingStream(chunked(lines.join("\n")));
    expect(report.ok).toBe(true);
    const sum = lines.reduce((total, line) => total + (checkLine(line) as { tokens: number }).tokens, 0);
    expect(report.tokens).toBe(sum);
  });
});
