import { describe, expect, test } from "vitest";
import { divideDecimal, percentile, runTotalCost, summariseRun, type ResultRow } from "@/lib/evals/summary";
import { compareRuns } from "@/lib/evals/compare";

const done = (
  targetId: string,
  passed: boolean,
  latencyMs: number,
  cost: string | null,
  score = passed ? 1 : 0,
): ResultRow => ({
  targetId,
  status: "DONE",
  latencyMs,
  cost,
  scores: [
    { scorerId: "s1", score, passed },
    { scorerId: "s2", score: 0.5, passed: false },
  ],
});

describe("run summary per target", () => {
  const targets = [
    { id: "a", label: "A" },
    { id: "b", label: "B" },
  ];
  const rows: ResultRow[] = [
    done("a", true, 100, "0.0010000000"),
    done("a", true, 200, "0.0020000000"),
    done("a", false, 300, "0.0030000000"),
    { targetId: "a", status: "FAILED", latencyMs: null, cost: null, scores: [] },
    done("b", false, 50, "0.0000000001"),
    { targetId: "b", status: "PENDING", latencyMs: null, cost: null, scores: [] },
  ];
  const [a, b] = summariseRun(targets, ["s1", "s2"], rows);

  test("accuracy by the first scorer over finished cases; a failed call counts as wrong", () => {
    expect(a).toMatchObject({ total: 4, finished: 4, failed: 1, correct: 2, accuracy: 0.5, meanScore: 0.5 });
    expect(b).toMatchObject({ total: 2, finished: 1, correct: 0, accuracy: 0 });
  });

  test("latency percentiles over answered calls, cost exact, cost per correct answer", () => {
    expect(a!.p50Ms).toBe(200);
    expect(a!.p95Ms).toBe(290);
    expect(a!.totalCost).toBe("0.0060000000");
    expect(a!.unpriced).toBe(1);
    expect(a!.costPerCorrect).toBe("0.0030000000");
    expect(b!.costPerCorrect).toBeNull();
    expect(runTotalCost([a!, b!])).toBe("0.0060000001");
  });

  test("every scorer is summarised", () => {
    expect(a!.scorers).toEqual([
      { scorerId: "s1", scored: 3, passed: 2, meanScore: 2 / 3 },
      { scorerId: "s2", scored: 3, passed: 0, meanScore: 0.5 },
    ]);
  });
});

test("percentile and exact division", () => {
  expect(percentile([], 0.5)).toBeNull();
  expect(percentile([5], 0.95)).toBe(5);
  expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(divideDecimal("0.0000000010", 3)).toBe("0.0000000003");
  expect(divideDecimal("0.0000000020", 3)).toBe("0.0000000007");
});

test("comparing two runs matches cases by key and target label", () => {
  const before = [
    { caseKey: "k1", targetLabel: "A", input: "q1", passed: false },
    { caseKey: "k2", targetLabel: "A", input: "q2", passed: true },
    { caseKey: "k3", targetLabel: "A", input: "q3", passed: true },
    { caseKey: "k4", targetLabel: "A", input: "gone", passed: true },
  ];
  const after = [
    { caseKey: "k1", targetLabel: "A", input: "q1", passed: true },
    { caseKey: "k2", targetLabel: "A", input: "q2", passed: null },
    { caseKey: "k3", targetLabel: "A", input: "q3", passed: true },
    { caseKey: "k5", targetLabel: "A", input: "new", passed: true },
  ];
  const result = compareRuns(before, after);
  expect(result).toMatchObject({ better: 1, worse: 1, same: 1, matched: 3 });
  expect(result.rows.map((row) => `${row.caseKey}:${row.change}`)).toEqual(["k1:better", "k2:worse", "k3:same"]);
});
