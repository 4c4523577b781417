import { capped, verdict, type ScoreInput, type Verdict } from "@/lib/evals/scorers/types";

// "A number within a tolerance": the first number in the output against the expected output's
// number. Thousands separators ("1,234.5") and a leading sign are understood; the tolerance is
// absolute, or relative to the expected value when `relative` is set (0.01 = 1 %).

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+/;

export function firstNumber(text: string): number | null {
  const match = NUMBER.exec(capped(text));
  if (!match) return null;
  const value = Number(match[0].replace(/,/g, ""));
  return Number.isFinite(value) ? value : null;
}

export function numberWithin(input: ScoreInput, options: { tolerance: number; relative?: boolean }): Verdict {
  const expected = firstNumber(input.expected);
  if (expected === null) return verdict(false, "The expected output holds no number.");
  const actual = firstNumber(input.output);
  if (actual === null) return verdict(false, "The output holds no number.");
  const allowed = options.relative ? Math.abs(expected) * options.tolerance : options.tolerance;
  const off = Math.abs(actual - expected);
  const passed = off <= allowed + Number.EPSILON * Math.max(1, Math.abs(expected));
  return verdict(passed, `${actual} against ${expected}: off by ${off}, allowed ${allowed}.`);
}
