import { verdict, type ScoreInput, type Verdict } from "@/lib/evals/scorers/types";

// A pattern is an admin's input run against model output (which the model, or a prompt injection,
// controls). JavaScript regular expressions backtrack and cannot be interrupted, so patterns that
// can backtrack exponentially are refused when the scorer is saved: a repeated group that itself
// repeats or alternates ("(a+)+", "(a|aa)*"), and backreferences. What remains is at worst
// polynomial, and the output it runs on is cut to MAX_REGEX_INPUT characters. Polynomial can
// still be hours ("\d+\d+$" on 10,000 digits and a letter), so the evaluation worker runs every
// match on a thread it stops at a deadline (regex-timed.ts); regexMatch here is the plain match.

export const MAX_PATTERN_LENGTH = 500;
export const MAX_REGEX_INPUT = 10_000;
export const REGEX_FLAGS = /^[imsu]*$/;

type Frame = { repeats: boolean; alternates: boolean };

/** Index just past a character class starting at `start` ("[...]"). */
function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i += 1;
  if (pattern[i] === "]") i += 1;
  for (; i < pattern.length; i += 1) {
    if (pattern[i] === "\\") i += 1;
    else if (pattern[i] === "]") return i + 1;
  }
  return i;
}

/** The most times a quantifier at `i` lets its atom repeat: 1 when there is none (or "?"). */
function quantifierMaxAt(pattern: string, i: number): number {
  const char = pattern[i];
  if (char === "*" || char === "+") return Infinity;
  if (char !== "{") return 1;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!match) return 1;
  return match[2] === undefined ? Number(match[1]) : match[3] === "" ? Infinity : Number(match[3]);
}

const repeatingQuantifierAt = (pattern: string, i: number) => quantifierMaxAt(pattern, i) > 1;
// A group repeated a few times ("(\d{1,3}\.){3}") multiplies its work by a constant only.
const GROUP_REPEAT_LIMIT = 10;

function unsafeStructure(pattern: string): string | null {
  const stack: Frame[] = [{ repeats: false, alternates: false }];
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") return "Backreferences (\\1, \\k<name>) are not allowed.";
      i += 1;
      if (repeatingQuantifierAt(pattern, i + 1)) stack.at(-1)!.repeats = true;
      continue;
    }
    if (char === "[") {
      i = skipClass(pattern, i) - 1;
      if (repeatingQuantifierAt(pattern, i + 1)) stack.at(-1)!.repeats = true;
      continue;
    }
    if (char === "(") {
      stack.push({ repeats: false, alternates: false });
      continue;
    }
    if (char === "|") {
      stack.at(-1)!.alternates = true;
      continue;
    }
    if (char === ")") {
      const group = stack.length > 1 ? stack.pop()! : { repeats: false, alternates: false };
      const max = quantifierMaxAt(pattern, i + 1);
      const repeated = max > GROUP_REPEAT_LIMIT;
      if (repeated && group.repeats)
        return "A repeated group that itself repeats (like (a+)+) can take forever on some outputs; repeat a character class instead.";
      if (repeated && group.alternates)
        return "A repeated group with alternatives (like (a|ab)*) can take forever on some outputs; use a character class or drop the repetition.";
      if (max > 1 || group.repeats) stack.at(-1)!.repeats = true;
      continue;
    }
    if (repeatingQuantifierAt(pattern, i)) stack.at(-1)!.repeats = true;
  }
  return null;
}

/** Null when the pattern may be saved, else why not (shown on the field). */
export function regexRefusal(pattern: string, flags = ""): string | null {
  if (!pattern) return "Enter a pattern.";
  if (pattern.length > MAX_PATTERN_LENGTH) return `Keep the pattern under ${MAX_PATTERN_LENGTH} characters.`;
  if (!REGEX_FLAGS.test(flags)) return "Flags may only be i, m, s and u.";
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return `Not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return unsafeStructure(pattern);
}

export function regexMatch(input: ScoreInput, options: { pattern: string; flags?: string }): Verdict {
  const refusal = regexRefusal(options.pattern, options.flags ?? "");
  if (refusal) return verdict(false, `Pattern refused: ${refusal}`);
  const text = input.output.slice(0, MAX_REGEX_INPUT);
  const passed = new RegExp(options.pattern, options.flags ?? "").test(text);
  return verdict(passed, passed ? "The output matches the pattern." : "The output does not match the pattern.");
}
