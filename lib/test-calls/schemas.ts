import { z } from "zod";
import { storableText } from "@/lib/validation/text";

// One zod module for test calls, import, runs, health-check settings and the playground.

const uuid = (what: string) => z.uuid({ error: `Unknown ${what}.` });

export const testKeyCallSchema = z.object({ keyId: uuid("key") });
export const testModelCallSchema = z.object({ providerId: uuid("provider"), modelId: uuid("model") });
export const listImportableSchema = z.object({ providerId: uuid("provider") });

/** Model ids as the provider lists them ("gpt-4o", "models/gemini-…" is normalised upstream). */
export const importedModelIdSchema = storableText(z.string())
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, "A model id has no spaces.");

// Checkbox groups submit one "modelIds" entry per ticked box; form-data gives a string or a list.
export const importModelsSchema = z.object({
  providerId: uuid("provider"),
  modelIds: z
    .union([importedModelIdSchema, z.array(importedModelIdSchema)], { error: "Pick at least one model to import." })
    .transform((value) => [...new Set(Array.isArray(value) ? value : [value])])
    .pipe(
      z
        .array(importedModelIdSchema)
        .min(1, "Pick at least one model to import.")
        .max(500, "Import at most 500 models at once."),
    ),
});

export const startTestRunSchema = z.object({});
export const testRunIdSchema = z.object({ runId: uuid("run") });

const wholeNumber = (message: string) =>
  z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number({ error: message }).int(message));
const checkbox = z
  .union([z.boolean(), z.literal("on").transform(() => true), z.literal("").transform(() => false)])
  .default(false);

/** Allowed health-check intervals in minutes: 0 is off. */
export const HEALTH_CHECK_INTERVALS = [0, 5, 15, 30, 60, 180, 360, 720, 1440] as const;

export const healthSettingsSchema = z.object({
  intervalMinutes: wholeNumber("Choose an interval.").refine(
    (value) => (HEALTH_CHECK_INTERVALS as readonly number[]).includes(value),
    "Choose one of the listed intervals.",
  ),
  failureThreshold: wholeNumber("Enter a whole number from 1 to 20.").pipe(
    z.number().min(1, "Use 1 to 20.").max(20, "Use 1 to 20."),
  ),
});

export const transcriptSettingsSchema = z.object({ storeTranscripts: checkbox });

export const PLAYGROUND_MAX_PROMPT = 20_000;
export const PLAYGROUND_MAX_OUTPUT_TOKENS = 4096;

export const playgroundRequestSchema = z.object({
  providerId: uuid("provider"),
  modelId: uuid("model"),
  keyId: uuid("key").optional(),
  prompt: storableText(z.string({ error: "Type a prompt." }))
    .trim()
    .min(1, "Type a prompt.")
    .max(PLAYGROUND_MAX_PROMPT, `Use at most ${PLAYGROUND_MAX_PROMPT} characters.`),
  maxOutputTokens: z.coerce
    .number()
    .int()
    .min(1, "Use 1 to 4096.")
    .max(PLAYGROUND_MAX_OUTPUT_TOKENS, "Use 1 to 4096.")
    .default(512),
});

export type PlaygroundRequest = z.output<typeof playgroundRequestSchema>;
