// What every scorer answers for one output: a score in [0, 1], whether it counts as correct, and
// why (shown beside the case). Scorers are pure except the LLM judge, whose call is made by the
// worker (lib/evals/worker.ts) and whose answer is parsed here (llm-judge.ts).

export type Verdict = { score: number; passed: boolean; reasoning: string };

export type ScoreInput = { output: string; expected: string };

/** Outputs longer than this are cut before a pattern or parser sees them (regex cost is bounded by length). */
export const MAX_SCORED_CHARS = 20_000;

export const capped = (text: string): string =>
  text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text;

export const verdict = (passed: boolean, reasoning: string): Verdict => ({ score: passed ? 1 : 0, passed, reasoning });
