import { expect, test } from "vitest";
import { parse } from "csv-parse/sync";
import { runResultsCsv } from "@/lib/evals/csv-export";
import type { RunResultRow } from "@/lib/evals/queries";

const row = (over: Partial<RunResultRow>): RunResultRow => ({
  id: "r",
  targetId: "t1",
  status: "DONE",
  latencyMs: 120,
  cost: "0.0001000000",
  caseKey: "k1",
  position: 0,
  input: "Q",
  expected: "4",
  output: "4",
  errorMessage: null,
  ttftMs: 40,
  inputTokens: 5,
  outputTokens: 1,
  scores: [{ scorerId: "s1", score: 1, passed: true, reasoning: "", error: null }],
  ...over,
});

test("one row per case x target in case then target order; formula-like text is neutralised", () => {
  const csv = runResultsCsv(
    [
      { id: "t1", label: "A" },
      { id: "t2", label: "=B" },
    ],
    [
      {
        id: "s1",
        config: { kind: "EXACT_MATCH", ignoreCase: false, ignoreWhitespace: false, ignorePunctuation: false },
      },
    ],
    [
      row({
        targetId: "t2",
        output: '=HYPERLINK("http://x")',
        scores: [{ scorerId: "s1", score: 0, passed: false, reasoning: "", error: null }],
      }),
      row({ targetId: "t1", position: 1, caseKey: "k2", input: "line\nbreak, comma" }),
      row({ targetId: "t1" }),
    ],
  );
  const records = parse(csv) as string[][];
  expect(records[0]).toEqual([
    "case",
    "case_key",
    "input",
    "expected",
    "target",
    "status",
    "output",
    "error",
    "latency_ms",
    "ttft_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "1 Exact match: passed",
    "1 Exact match: score",
  ]);
  expect(records.slice(1).map((r) => [r[0], r[4]])).toEqual([
    ["1", "A"],
    ["1", "'=B"],
    ["2", "A"],
  ]);
  expect(records[2]![6]).toBe('\'=HYPERLINK("http://x")');
  expect(records[2]!.slice(13)).toEqual(["false", "0"]);
  expect(records[3]![2]).toBe("line\nbreak, comma");
  expect(records[1]![12]).toBe("0.0001000000");
});
