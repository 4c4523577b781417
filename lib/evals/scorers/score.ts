import type { ScorerConfig } from "@/lib/evals/scorer-config";
import { contains } from "@/lib/evals/scorers/contains";
import { exactMatch } from "@/lib/evals/scorers/exact-match";
import { matchesJsonSchema, validJson } from "@/lib/evals/scorers/json";
import { numberWithin } from "@/lib/evals/scorers/number";
import { regexMatch } from "@/lib/evals/scorers/regex";
import type { ScoreInput, Verdict } from "@/lib/evals/scorers/types";

/** The verdict of a deterministic scorer; the LLM judge needs a call and is scored by the worker. */
export function scoreDeterministic(config: Exclude<ScorerConfig, { kind: "LLM_JUDGE" }>, input: ScoreInput): Verdict {
  switch (config.kind) {
    case "EXACT_MATCH":
      return exactMatch(input, config);
    case "CONTAINS":
      return contains(input, config);
    case "REGEX":
      return regexMatch(input, config);
    case "VALID_JSON":
      return validJson(input);
    case "JSON_SCHEMA":
      return matchesJsonSchema(input, config);
    case "NUMBER_TOLERANCE":
      return numberWithin(input, config);
  }
}
