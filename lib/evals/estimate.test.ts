import { expect, test } from "vitest";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { estimateRunCost, promptTokensOf } from "@/lib/evals/estimate";

test("prompt tokens count every case's messages with the chat framing", () => {
  const cases = [
    { prompt: "What is two plus two?", messages: null },
    { prompt: null, messages: [{ role: "user" as const, content: "Capital of France?" }] },
  ];
  // 3 tokens of reply priming per request and 4 of framing per message (OpenAI's chat format).
  const expected = 3 + 4 + countTokens("What is two plus two?") + 3 + 4 + countTokens("Capital of France?");
  expect(promptTokensOf(cases)).toBe(expected);
});

test("estimate: prompt tokens at the input price plus max output per case at the output price, per target", () => {
  // 1,000 prompt tokens, 10 cases x 100 output tokens: $2/M in, $8/M out → 0.002 + 0.008 = 0.01.
  const one = { input: "2", output: "8" };
  expect(estimateRunCost(1_000, 10, 100, [[one]])).toBe("0.0100000000");
  // Two targets add up; a route is priced at its dearest model.
  const cheap = { input: "1", output: "1" };
  expect(estimateRunCost(1_000, 10, 100, [[one], [cheap, one]])).toBe("0.0200000000");
});

test("an unpriced model means no estimate, never zero", () => {
  expect(estimateRunCost(1_000, 10, 100, [[{ input: "2", output: "8" }], [null]])).toBeNull();
  expect(estimateRunCost(1_000, 10, 100, [[]])).toBeNull();
});
