import type { Verdict } from "@/lib/evals/scorers/types";

// The LLM judge: a rubric and a judge model. The prompt asks for a JSON object; the answer is read
// robustly, because judges wrap JSON in prose or fences, answer "Score: 7/10", or say "8 out of 10".
// The judge's own words are kept as the reasoning. The call itself is made by the worker through
// the call engine (recorded as EVAL usage like every evaluation call).

export type JudgeOptions = { rubric: string; maxScore: number; passScore: number };

export const JUDGE_MAX_OUTPUT_TOKENS = 400;
const MAX_QUOTED = 8_000;

const quote = (text: string) => (text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}\n[…cut]` : text);

export function judgePrompt(
  options: JudgeOptions,
  input: { prompt: string; output: string; expected: string },
): string {
  return [
    "You are grading an AI assistant's answer. Grade only by the rubric.",
    `Answer with a JSON object {"score": <number from 0 to ${options.maxScore}>, "reasoning": "<one or two sentences>"} and nothing else.`,
    "",
    "<question>",
    quote(input.prompt),
    "</question>",
    "<reference_answer>",
    quote(input.expected || "(none given)"),
    "</reference_answer>",
    "<answer_to_grade>",
    quote(input.output),
    "</answer_to_grade>",
    "",
    "<rubric>",
    quote(options.rubric),
    "</rubric>",
  ].join("\n");
}

type Parsed = { raw: number; reasoning: string } | null;

function fromJson(text: string): Parsed {
  // The last {...} that parses and has a numeric score wins (judges sometimes restate the format first).
  const candidates = text.match(/\{[^{}]*\}/g) ?? [];
  for (const candidate of candidates.reverse()) {
    try {
      const value = JSON.parse(candidate) as Record<string, unknown>;
      const score = typeof value.score === "string" ? Number(value.score) : value.score;
      if (typeof score === "number" && Number.isFinite(score))
        return { raw: score, reasoning: typeof value.reasoning === "string" ? value.reasoning : text.trim() };
    } catch {
      // Not this one.
    }
  }
  return null;
}

function fromProse(text: string, maxScore: number): Parsed {
  const labelled = /\bscore\b\s*(?:is|of|[:=])?\s*\**\s*(-?\d+(?:\.\d+)?)\s*(?:\/|out of)?\s*(\d+(?:\.\d+)?)?/i.exec(
    text,
  );
  const ratio = /(-?\d+(?:\.\d+)?)\s*(?:\/|out of)\s*(\d+(?:\.\d+)?)/i.exec(text);
  const match = labelled ?? ratio;
  if (!match) {
    const bare = /^\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
    return bare ? { raw: Number(bare[1]), reasoning: text.trim() } : null;
  }
  let raw = Number(match[1]);
  const outOf = match[2] ? Number(match[2]) : null;
  // "4/5" with a rubric out of 10 is rescaled to the rubric's scale.
  if (outOf && outOf > 0 && outOf !== maxScore) raw = (raw / outOf) * maxScore;
  return { raw, reasoning: text.trim() };
}

/** The judge's answer as a verdict: score scaled to [0, 1] and clamped; passed at or above passScore. */
export function parseJudgeAnswer(text: string, options: Pick<JudgeOptions, "maxScore" | "passScore">): Verdict | null {
  const parsed = fromJson(text) ?? fromProse(text, options.maxScore);
  if (!parsed || !Number.isFinite(parsed.raw)) return null;
  const clamped = Math.min(Math.max(parsed.raw, 0), options.maxScore);
  const score = options.maxScore > 0 ? clamped / options.maxScore : 0;
  return { score, passed: clamped >= options.passScore, reasoning: parsed.reasoning.slice(0, 2_000) };
}
