import { csvCell, csvLine } from "@/lib/usage/csv";
import { describeScorer, type ScorerConfig } from "@/lib/evals/scorer-config";
import type { RunResultRow } from "@/lib/evals/queries";

// A run's results as CSV: one row per case x target (case order, then target order), every
// scorer's verdict in its own columns. Text cells go through csvCell, so an output starting with
// "=" or "+" cannot run as a spreadsheet formula. Pure.

export function runResultsCsv(
  targets: readonly { id: string; label: string }[],
  scorers: readonly { id: string; config: ScorerConfig }[],
  rows: readonly RunResultRow[],
): string {
  const header = [
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
    ...scorers.flatMap((scorer, index) => {
      const name = `${index + 1} ${describeScorer(scorer.config)}`;
      return [`${name}: passed`, `${name}: score`];
    }),
  ];
  const order = new Map(targets.map((target, index) => [target.id, index]));
  const label = new Map(targets.map((target) => [target.id, target.label]));
  const sorted = [...rows].sort(
    (a, b) => a.position - b.position || (order.get(a.targetId) ?? 0) - (order.get(b.targetId) ?? 0),
  );
  let out = csvLine(header.map((cell) => csvCell(cell)));
  for (const row of sorted) {
    const byScorer = new Map(row.scores.map((score) => [score.scorerId, score]));
    out += csvLine([
      csvCell(row.position + 1, "number"),
      csvCell(row.caseKey),
      csvCell(row.input),
      csvCell(row.expected),
      csvCell(label.get(row.targetId) ?? ""),
      csvCell(row.status),
      csvCell(row.output),
      csvCell(row.errorMessage),
      csvCell(row.latencyMs, "number"),
      csvCell(row.ttftMs, "number"),
      csvCell(row.inputTokens, "number"),
      csvCell(row.outputTokens, "number"),
      csvCell(row.cost, "number"),
      ...scorers.flatMap((scorer) => {
        const score = byScorer.get(scorer.id);
        return [
          csvCell(score?.passed === undefined || score.passed === null ? "" : String(score.passed)),
          csvCell(score?.score ?? null, "number"),
        ];
      }),
    ]);
  }
  return out;
}
