import { fromUnits, toUnits } from "@/lib/usage/money";

// A run's numbers per target, from its results (pure, unit-tested). "Correct" is the first
// scorer's verdict; a case whose call failed counts as answered wrong (it is in the total, with no
// score). Cost is the answer's calls plus the judge's, exact as decimal strings; cost per correct
// answer is null when nothing was correct. Latency percentiles are over the calls that answered,
// with PostgreSQL's percentile_cont definition.

export type ResultRow = {
  targetId: string;
  status: "PENDING" | "RUNNING" | "DONE" | "FAILED";
  latencyMs: number | null;
  /** The answer's cost plus any judge calls' cost; null when unpriced. */
  cost: string | null;
  scores: { scorerId: string; score: number | null; passed: boolean | null }[];
};

export type ScorerSummary = { scorerId: string; scored: number; passed: number; meanScore: number | null };

export type TargetSummary = {
  targetId: string;
  label: string;
  total: number;
  finished: number;
  failed: number;
  correct: number;
  /** correct / finished, null before anything finished. */
  accuracy: number | null;
  /** Mean of the first scorer's scores (0–1) over finished cases, a failed call counting 0. */
  meanScore: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  totalCost: string;
  unpriced: number;
  costPerCorrect: string | null;
  scorers: ScorerSummary[];
};

/** percentile_cont: linear interpolation at rank (n − 1)·p of the sorted values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** value / count to 10 places, rounded half-up (cost per correct answer). */
export function divideDecimal(value: string, count: number): string {
  const units = toUnits(value);
  const divisor = BigInt(count);
  return fromUnits((units * 2n + divisor) / (divisor * 2n));
}

export function summariseRun(
  targets: readonly { id: string; label: string }[],
  scorerIds: readonly string[],
  rows: readonly ResultRow[],
): TargetSummary[] {
  return targets.map((target) => {
    const mine = rows.filter((row) => row.targetId === target.id);
    const finished = mine.filter((row) => row.status === "DONE" || row.status === "FAILED");
    const primary = scorerIds[0];
    let correct = 0;
    let scoreSum = 0;
    let costUnits = 0n;
    let unpriced = 0;
    const latencies: number[] = [];
    for (const row of finished) {
      const first = row.scores.find((score) => score.scorerId === primary);
      if (row.status === "DONE" && first?.passed) correct += 1;
      scoreSum += row.status === "DONE" ? (first?.score ?? 0) : 0;
      if (row.cost === null) unpriced += 1;
      else costUnits += toUnits(row.cost);
      if (row.status === "DONE" && row.latencyMs !== null) latencies.push(row.latencyMs);
    }
    const totalCost = fromUnits(costUnits);
    const scorers = scorerIds.map((scorerId) => {
      const scores = finished.flatMap((row) => row.scores.filter((score) => score.scorerId === scorerId));
      const numeric = scores.map((score) => score.score).filter((score): score is number => score !== null);
      return {
        scorerId,
        scored: scores.length,
        passed: scores.filter((score) => score.passed).length,
        meanScore: numeric.length ? numeric.reduce((a, b) => a + b, 0) / numeric.length : null,
      };
    });
    return {
      targetId: target.id,
      label: target.label,
      total: mine.length,
      finished: finished.length,
      failed: finished.filter((row) => row.status === "FAILED").length,
      correct,
      accuracy: finished.length ? correct / finished.length : null,
      meanScore: finished.length ? scoreSum / finished.length : null,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      totalCost,
      unpriced,
      costPerCorrect: correct > 0 ? divideDecimal(totalCost, correct) : null,
      scorers,
    };
  });
}

/** Every cost of the run added up exactly (the EVAL usage of the run sums to this). */
export function runTotalCost(summaries: readonly TargetSummary[]): string {
  return fromUnits(summaries.reduce((sum, target) => sum + toUnits(target.totalCost), 0n));
}
