import { z } from "zod";
import { booleanText, checkbox, formText } from "@/lib/providers/schemas";
import { parsePrice } from "@/lib/providers/price";

// Models and their prices, shared by the model forms and the model/price actions.

export const MODEL_TYPES = ["GENERAL", "DOMAIN", "FINE_TUNED", "EMBEDDING"] as const;
export type ModelTypeName = (typeof MODEL_TYPES)[number];

export const MODEL_TYPE_LABEL: Record<ModelTypeName, string> = {
  GENERAL: "General",
  DOMAIN: "Domain-specific",
  FINE_TUNED: "Fine-tuned",
  EMBEDDING: "Embedding",
};

const MAX_CONTEXT_WINDOW = 100_000_000;
/** Well past any model's output limit, and inside the int4 column. */
export const MAX_OUTPUT_TOKENS_LIMIT = 10_000_000;

/** A whole number of tokens typed with optional thousands separators; empty means "not recorded". */
const optionalTokenCount = (max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const digits = value.replace(/[_,\s]/g, "");
      if (!/^\d{1,9}$/.test(digits) || Number(digits) < 1 || Number(digits) > max) {
        ctx.addIssue({
          code: "custom",
          message: `Enter a whole number of tokens between 1 and ${max.toLocaleString("en-US")}.`,
        });
        return z.NEVER;
      }
      return Number(digits);
    });

// Model actions carry the provider id too: the model is loaded scoped to its provider, so a
// mismatched pair is a 404 rather than a change to some other provider's model.
export const modelRowIdSchema = z.object({
  providerId: z.uuid({ error: "Unknown provider." }),
  id: z.uuid({ error: "Unknown model." }),
});

/** A price field: decimal text parsed by Prisma.Decimal and kept as canonical text. */
const price = (label: string) =>
  z.string({ error: `Enter the ${label} price.` }).transform((value, ctx) => {
    const parsed = parsePrice(value);
    if (parsed.ok) return parsed.value.toFixed();
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });

const optionalPrice = (label: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value?.trim()) return null;
      const parsed = parsePrice(value);
      if (parsed.ok) return parsed.value.toFixed();
      ctx.addIssue({ code: "custom", message: `${label}: ${parsed.message}` });
      return z.NEVER;
    });

/** A calendar day (YYYY-MM-DD); the price takes effect at 00:00 UTC that day. */
export const effectiveFromSchema = z
  .string({ error: "Choose the date the price takes effect." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the date the price takes effect.")
  .transform((value, ctx) => {
    const date = new Date(`${value}T00:00:00.000Z`);
    if (
      Number.isNaN(date.getTime()) ||
      date.toISOString().slice(0, 10) !== value ||
      date.getUTCFullYear() < 2000 ||
      date.getUTCFullYear() > 2100
    ) {
      ctx.addIssue({ code: "custom", message: "Choose a real date between 2000 and 2100." });
      return z.NEVER;
    }
    return date;
  });

const priceFields = {
  inputPrice: price("input"),
  outputPrice: price("output"),
  cachedInputPrice: optionalPrice("Cached input"),
  effectiveFrom: effectiveFromSchema,
};

const priceObject = z.object(priceFields);
// Fine-tuning prices (lib/fine-tuning): training per 1M trained tokens, and the inference prices of
// models fine-tuned from this one. Empty = not known (unpriced, never $0).
export const addPriceSchema = priceObject.extend({
  ...modelRowIdSchema.shape,
  trainingPrice: optionalPrice("Training"),
  fineTunedInputPrice: optionalPrice("Fine-tuned input"),
  fineTunedOutputPrice: optionalPrice("Fine-tuned output"),
});

const modelFields = {
  modelId: formText("Enter the provider's model id.")
    .trim()
    .min(1, "Enter the provider's model id.")
    .max(200, "Use at most 200 characters.")
    .regex(/^\S+$/, "Model ids have no spaces."),
  displayName: formText("Enter a display name.")
    .trim()
    .max(120, "Use at most 120 characters.")
    .optional()
    .transform((value) => value ?? ""),
  type: z.enum(MODEL_TYPES, { error: "Choose a model type." }),
  domain: formText("Enter the domain.")
    .trim()
    .max(80, "Use at most 80 characters.")
    .optional()
    .transform((value) => value || null),
  baseModel: formText("Enter the base model.")
    .trim()
    .max(200, "Use at most 200 characters.")
    .optional()
    .transform((value) => value || null),
  contextWindow: optionalTokenCount(MAX_CONTEXT_WINDOW),
  // The most output tokens one response may carry: a gateway request without max_tokens reserves
  // budget for this many.
  maxOutputTokens: optionalTokenCount(MAX_OUTPUT_TOKENS_LIMIT),
};

type ModelTypeInput = { type?: unknown; domain?: unknown; baseModel?: unknown };

// A domain model says which domain; a fine-tune says what it was tuned from. Other types carry
// neither, so a stale value from switching the type in the form is dropped rather than stored.
function refineModelType(value: ModelTypeInput, ctx: z.RefinementCtx): void {
  // `always` runs this even when the input was not an object at all (null, a string…).
  if (!value || typeof value !== "object") return;
  if (value.type === "DOMAIN" && !value.domain)
    ctx.addIssue({
      code: "custom",
      path: ["domain"],
      message: "Enter the model's domain (e.g. code, legal, medical).",
    });
  if (value.type === "FINE_TUNED" && !value.baseModel)
    ctx.addIssue({ code: "custom", path: ["baseModel"], message: "Enter the base model it was fine-tuned from." });
}

function normaliseModel<
  T extends {
    type: ModelTypeName;
    domain: string | null;
    baseModel: string | null;
    displayName: string;
    modelId: string;
  },
>(value: T): T {
  return {
    ...value,
    displayName: value.displayName || value.modelId,
    domain: value.type === "DOMAIN" ? value.domain : null,
    baseModel: value.type === "FINE_TUNED" ? value.baseModel : null,
  };
}

const always = { when: () => true };

// A response cannot carry more tokens than the whole context holds.
function refineOutputFits(
  value: { contextWindow: number | null; maxOutputTokens: number | null },
  ctx: z.RefinementCtx,
) {
  if (value.contextWindow !== null && value.maxOutputTokens !== null && value.maxOutputTokens > value.contextWindow)
    ctx.addIssue({
      code: "custom",
      path: ["maxOutputTokens"],
      message: "Max output tokens cannot exceed the context window.",
    });
}

/** A new model, optionally with its first price (all of input, output and date, or none). */
export const createModelSchema = z
  .object({
    providerId: z.uuid({ error: "Unknown provider." }),
    ...modelFields,
    enabled: checkbox,
    inputPrice: z.string().optional(),
    outputPrice: z.string().optional(),
    cachedInputPrice: z.string().optional(),
    effectiveFrom: z.string().optional(),
  })
  .superRefine(refineModelType, always)
  .transform((value, ctx) => {
    const { inputPrice, outputPrice, cachedInputPrice, effectiveFrom, ...model } = normaliseModel(value);
    if (![inputPrice, outputPrice, cachedInputPrice].some((field) => field?.trim())) return { ...model, price: null };
    const parsed = priceObject.safeParse({
      inputPrice: inputPrice ?? "",
      outputPrice: outputPrice ?? "",
      cachedInputPrice,
      effectiveFrom: effectiveFrom ?? "",
    });
    if (parsed.success) return { ...model, price: parsed.data };
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  })
  .superRefine(refineOutputFits);

export const updateModelSchema = z
  .object({ ...modelRowIdSchema.shape, ...modelFields })
  .superRefine(refineModelType, always)
  .transform(normaliseModel)
  .superRefine(refineOutputFits);

export const setModelEnabledSchema = modelRowIdSchema.extend({ enabled: booleanText });

export type CreateModelInput = z.output<typeof createModelSchema>;
export type UpdateModelInput = z.output<typeof updateModelSchema>;
export type AddPriceInput = z.output<typeof addPriceSchema>;
