import { z } from "zod";
import { booleanText } from "@/lib/providers/schemas";
import { caseSchema } from "@/lib/evals/cases";
import { scorerConfigSchema } from "@/lib/evals/scorer-config";
import { storableText } from "@/lib/validation/text";

// Inputs of the evaluation actions. The import form posts the file's text (read in the browser:
// server actions take no uploads); the run form posts targets as "model:<provider>:<model>" or
// "route:<route>" and the scorers as one JSON field, like the route editor's settings.

export const MAX_IMPORT_CHARS = 900_000;

const jsonField = <T extends z.ZodType>(schema: T, what: string) =>
  z.preprocess((raw, context) => {
    if (typeof raw !== "string") return raw;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: `The ${what} could not be read; reload the page.` });
      return z.NEVER;
    }
  }, schema);

const name = storableText(z.string({ error: "Enter a name." }).trim())
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.");
const comment = storableText(z.string({ error: "Enter text." }))
  .trim()
  .max(500, "Keep the comment under 500 characters.")
  .default("");
const fileText = storableText(z.string({ error: "Choose a file or paste its contents." }))
  .min(1, "Choose a file or paste its contents.")
  .max(MAX_IMPORT_CHARS, `The file is larger than ${MAX_IMPORT_CHARS.toLocaleString("en")} characters; split it.`);
const format = z.enum(["jsonl", "csv"], { error: "Choose JSONL or CSV." });

export const datasetIdSchema = z.object({ datasetId: z.uuid({ error: "Unknown dataset." }) });
export const runIdSchema = z.object({ runId: z.uuid({ error: "Unknown run." }) });

export const createDatasetSchema = z.object({
  name,
  description: storableText(z.string({ error: "Describe the dataset in text." }))
    .trim()
    .max(500, "Use at most 500 characters.")
    .default(""),
  format,
  content: fileText,
});

export const importVersionSchema = datasetIdSchema.extend({ format, content: fileText, comment });

/** Edit (or, without caseKey, add) one case: writes a new version with every other case unchanged. */
export const saveCaseSchema = datasetIdSchema.extend({
  baseVersion: z.coerce.number({ error: "Reload the page." }).int().min(1).max(1_000_000_000),
  caseKey: z.uuid({ error: "Unknown case." }).optional(),
  case: jsonField(caseSchema, "case"),
  comment,
});

export const deleteCaseSchema = datasetIdSchema.extend({
  baseVersion: z.coerce.number({ error: "Reload the page." }).int().min(1).max(1_000_000_000),
  caseKey: z.uuid({ error: "Unknown case." }),
});

const TARGET = /^(model:[0-9a-f-]{36}:[0-9a-f-]{36}|route:[0-9a-f-]{36})$/i;
const targetText = z.string({ error: "Choose a model or route." }).regex(TARGET, "Choose a model or route.");

export const createRunSchema = z.object({
  datasetId: z.uuid({ error: "Choose a dataset." }),
  name: storableText(z.string({ error: "Enter a name." }).trim())
    .max(100, "Use at most 100 characters.")
    .default(""),
  targets: z
    .preprocess(
      (raw) => (typeof raw === "string" ? [raw] : raw),
      z.array(targetText, { error: "Choose a model or route." }),
    )
    .pipe(
      z
        .array(targetText)
        .min(1, "Choose at least one model or route.")
        .max(8, "Compare at most 8 models or routes at once.")
        .refine((list) => new Set(list).size === list.length, "Each model or route once."),
    ),
  scorers: jsonField(
    z
      .array(scorerConfigSchema, { error: "Add at least one scorer." })
      .min(1, "Add at least one scorer.")
      .max(8, "Use at most 8 scorers."),
    "scorers",
  ),
  concurrency: z.coerce
    .number({ error: "Enter a number." })
    .int("Use a whole number.")
    .min(1, "At least 1.")
    .max(16, "At most 16.")
    .default(4),
  maxOutputTokens: z.coerce
    .number({ error: "Enter a number." })
    .int("Use a whole number.")
    .min(1, "At least 1.")
    .max(32_000, "At most 32,000.")
    .default(512),
  startNow: booleanText.default(false),
});

export type CreateRunInput = z.output<typeof createRunSchema>;

/** "model:<provider>:<model>" | "route:<route>" → its ids. */
export function parseTarget(text: string): { providerId: string; modelId: string } | { routeId: string } {
  const parts = text.split(":");
  return parts[0] === "route" ? { routeId: parts[1]! } : { providerId: parts[1]!, modelId: parts[2]! };
}
