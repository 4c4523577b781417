import { z } from "zod";
import { regexRefusal } from "@/lib/evals/scorers/regex";
import { compileSchema } from "@/lib/evals/scorers/json";
import { storableText } from "@/lib/validation/text";
import { SCORER_LABEL } from "@/lib/evals/scorer-kinds";

// Each scorer kind's configuration, validated when a run is created (a pattern that could
// backtrack forever or a schema ajv cannot compile is refused then, with a field error, not when
// the first output arrives). Stored as eval_run_scorers.config.

export { SCORER_KINDS, SCORER_LABEL, type ScorerKind } from "@/lib/evals/scorer-kinds";

const flag = z.boolean({ error: "Choose on or off." }).default(false);
const normalisation = { ignoreCase: flag, ignoreWhitespace: flag, ignorePunctuation: flag };

const exactMatch = z.object({ kind: z.literal("EXACT_MATCH"), ...normalisation });
const containsScorer = z.object({
  kind: z.literal("CONTAINS"),
  ...normalisation,
  needle: storableText(z.string({ error: "Enter text." }))
    .max(1_000, "Use at most 1,000 characters.")
    .default(""),
});
const regexScorer = z
  .object({
    kind: z.literal("REGEX"),
    pattern: storableText(z.string({ error: "Enter a pattern." })),
    flags: z.string({ error: "Enter flags." }).max(4, "Flags may only be i, m, s and u.").default(""),
  })
  .superRefine((value, context) => {
    const refusal = regexRefusal(value.pattern, value.flags);
    if (refusal) context.addIssue({ code: "custom", path: ["pattern"], message: refusal });
  });
const validJson = z.object({ kind: z.literal("VALID_JSON") });
const jsonSchema = z
  .object({ kind: z.literal("JSON_SCHEMA"), schema: storableText(z.string({ error: "Enter a JSON schema." })) })
  .superRefine((value, context) => {
    const compiled = compileSchema(value.schema);
    if (!compiled.ok) context.addIssue({ code: "custom", path: ["schema"], message: compiled.message });
  });
const numberTolerance = z.object({
  kind: z.literal("NUMBER_TOLERANCE"),
  tolerance: z
    .number({ error: "Enter a tolerance." })
    .min(0, "Use zero or more.")
    .max(1e12, "Use a smaller tolerance."),
  relative: flag,
});
const llmJudge = z
  .object({
    kind: z.literal("LLM_JUDGE"),
    rubric: storableText(z.string({ error: "Write the rubric." }).trim())
      .min(1, "Write the rubric.")
      .max(4_000, "Keep the rubric under 4,000 characters."),
    providerId: z.uuid({ error: "Choose the judge model." }),
    modelId: z.uuid({ error: "Choose the judge model." }),
    maxScore: z.number({ error: "Enter the top score." }).int("Use a whole number.").min(1).max(100).default(10),
    passScore: z.number({ error: "Enter the passing score." }).min(0).max(100).default(7),
  })
  .refine((value) => value.passScore <= value.maxScore, {
    path: ["passScore"],
    message: "The passing score cannot exceed the top score.",
  });

export const scorerConfigSchema = z.discriminatedUnion(
  "kind",
  [exactMatch, containsScorer, regexScorer, validJson, jsonSchema, numberTolerance, llmJudge],
  { error: "Choose a scorer kind." },
);
export type ScorerConfig = z.output<typeof scorerConfigSchema>;
export type LlmJudgeConfig = Extract<ScorerConfig, { kind: "LLM_JUDGE" }>;

/** One line describing a configured scorer (tables, CSV headers). */
export function describeScorer(config: ScorerConfig): string {
  const label = SCORER_LABEL[config.kind];
  switch (config.kind) {
    case "EXACT_MATCH":
    case "CONTAINS": {
      const options = [
        config.ignoreCase && "any case",
        config.ignoreWhitespace && "any spacing",
        config.ignorePunctuation && "no punctuation",
      ].filter(Boolean);
      return options.length ? `${label} (${options.join(", ")})` : label;
    }
    case "REGEX":
      return `${label} /${config.pattern}/${config.flags}`;
    case "NUMBER_TOLERANCE":
      return `${label} ±${config.tolerance}${config.relative ? " (relative)" : ""}`;
    case "LLM_JUDGE":
      return `${label} (pass at ${config.passScore}/${config.maxScore})`;
    default:
      return label;
  }
}
