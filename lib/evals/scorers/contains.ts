import { normalise, type NormaliseOptions } from "@/lib/evals/scorers/normalise";
import { capped, verdict, type ScoreInput, type Verdict } from "@/lib/evals/scorers/types";

/** The output contains the expected text (or `needle` when configured), after normalisation. */
export function contains(input: ScoreInput, options: NormaliseOptions & { needle?: string }): Verdict {
  const needle = normalise(options.needle || input.expected, options);
  if (!needle) return verdict(false, "There is nothing to look for: the expected output is empty.");
  const passed = normalise(capped(input.output), options).includes(needle);
  return verdict(passed, passed ? "The output contains the expected text." : "The expected text is not in the output.");
}
