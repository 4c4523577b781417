import { normalise, type NormaliseOptions } from "@/lib/evals/scorers/normalise";
import { capped, verdict, type ScoreInput, type Verdict } from "@/lib/evals/scorers/types";

export function exactMatch(input: ScoreInput, options: NormaliseOptions): Verdict {
  const passed = normalise(capped(input.output), options) === normalise(input.expected, options);
  return verdict(
    passed,
    passed ? "The output equals the expected output." : "The output differs from the expected output.",
  );
}
