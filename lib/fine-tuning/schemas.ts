import { z } from "zod";
import { storableText } from "@/lib/validation/text";

// Inputs of the fine-tuning actions and routes (docs/fine-tuning.md). Optional numbers arrive from
// the form as "" for "let the provider choose" (OpenAI's "auto").

const optionalNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((raw) => (raw === "" || raw === null || raw === undefined ? undefined : raw), schema.optional());

export const SUFFIX_PATTERN = /^[a-z0-9-]{0,40}$/;

export const jobIdSchema = z.object({ jobId: z.uuid({ error: "Unknown fine-tuning job." }) });

export const createJobSchema = z.object({
  providerId: z.uuid({ error: "Choose a provider." }),
  baseModelId: z.uuid({ error: "Choose a base model." }),
  trainingFileId: z.uuid({ error: "Upload a training file first." }),
  validationFileId: optionalNumber(z.uuid({ error: "Unknown validation file." })),
  suffix: storableText(z.string({ error: "Enter a suffix." }))
    .trim()
    .regex(SUFFIX_PATTERN, "Use at most 40 lower-case letters, digits and hyphens.")
    .default(""),
  epochs: optionalNumber(
    z.coerce.number({ error: "Enter a whole number of epochs." }).int("Enter a whole number.").min(1).max(50),
  ),
  learningRateMultiplier: optionalNumber(
    storableText(z.string({ error: "Enter a number." }))
      .trim()
      .regex(/^\d{1,2}(\.\d{1,4})?$/, "Enter a number such as 0.5 or 2 (up to 4 decimals).")
      .refine((value) => Number(value) > 0 && Number(value) <= 10, "Use a multiplier above 0 and at most 10."),
  ),
  batchSize: optionalNumber(
    z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(1).max(256),
  ),
});

export const FILE_PURPOSES = ["training", "validation"] as const;

/** The query of the validate and upload routes (the body is the file itself). */
export const uploadQuerySchema = z.object({
  providerId: z.uuid({ error: "Choose a provider." }),
  purpose: z.enum(FILE_PURPOSES, { error: "Say whether this is the training or the validation file." }),
  fileName: storableText(z.string({ error: "Name the file." }))
    .trim()
    .min(1, "Name the file.")
    .max(200, "Use a file name of at most 200 characters."),
  /** The upload route: the SHA-256 the validation step computed (the file must not have changed). */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "Validate the file first.")
    .optional(),
});
