import { z } from "zod";
import { storableText } from "@/lib/validation/text";
import {
  CONFIG_FIELDS,
  NUMERIC_CONFIG_FIELDS,
  type ConfigSnapshot,
  type NumericConfigField,
} from "@/lib/config/fields";

// One zod module for configuration, shared by the edit form and the actions. Form fields arrive
// as strings ("" = not set at this level); tests and other callers may pass numbers. Ranges that
// depend on the provider kind are checked by the handler (lib/config/param-ranges.ts), once the
// provider row says which kind it is.

const DECIMAL = /^-?\d+(\.\d+)?$/;
const MONEY = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

function numberField(integer: boolean) {
  return z
    .union([z.string().max(40, "That is too long for a number."), z.number(), z.null()])
    .optional()
    .transform((raw, ctx): number | null => {
      if (raw === undefined || raw === null) return null;
      const text = typeof raw === "number" ? String(raw) : raw.trim();
      if (text === "") return null;
      const value = Number(text);
      if (!DECIMAL.test(text) || !Number.isFinite(value)) {
        ctx.addIssue({ code: "custom", message: integer ? "Enter a whole number." : "Enter a number, e.g. 0.7." });
        return z.NEVER;
      }
      if (integer && !Number.isInteger(value)) {
        ctx.addIssue({ code: "custom", message: "Enter a whole number." });
        return z.NEVER;
      }
      return value;
    });
}

/** "1250.5" → "1250.50"; null when the text is not a positive amount with at most two decimals. */
export function canonicalMoney(text: string): string | null {
  const match = MONEY.exec(text.trim().replace(/^\$/, ""));
  if (!match) return null;
  const whole = match[1]!.replace(/^0+(?=\d)/, "");
  const cents = (match[2] ?? "").padEnd(2, "0");
  return `${whole}.${cents}`;
}

const budgetField = z
  .union([z.string().max(40, "That is too long for an amount."), z.null()])
  .optional()
  .transform((raw, ctx): string | null => {
    if (raw === undefined || raw === null || raw.trim() === "") return null;
    const amount = canonicalMoney(raw);
    if (!amount) {
      ctx.addIssue({ code: "custom", message: "Enter US dollars with at most two decimals, e.g. 250.00." });
      return z.NEVER;
    }
    if (/^0\.00$/.test(amount)) {
      ctx.addIssue({ code: "custom", message: "Enter an amount above 0, or leave it empty for no budget." });
      return z.NEVER;
    }
    return amount;
  });

const INTEGER_FIELDS = new Set<NumericConfigField>([
  "maxOutputTokens",
  "timeoutMs",
  "retries",
  "requestsPerMinute",
  "tokensPerMinute",
]);

export const configValuesSchema = z.object({
  ...(Object.fromEntries(
    NUMERIC_CONFIG_FIELDS.map((field) => [field, numberField(INTEGER_FIELDS.has(field))]),
  ) as Record<NumericConfigField, ReturnType<typeof numberField>>),
  monthlyBudgetUsd: budgetField,
});

const optionalModelId = z
  .union([z.literal(""), z.uuid("Pick a model from the list."), z.null()])
  .optional()
  .transform((value) => value || null);

const versionNumber = (message: string) =>
  z.coerce.number(message).int(message).min(0, message).max(1_000_000_000, message);

const target = {
  providerId: z.uuid("Pick a provider from the list."),
  modelId: optionalModelId,
  // The version the person was looking at when they started editing: 0 when none existed yet.
  baseVersion: versionNumber("Reload the page and try again."),
  comment: storableText(z.string("Enter text.")).trim().max(500, "Keep the comment under 500 characters.").default(""),
};

export const saveConfigSchema = configValuesSchema.extend(target);

export const rollbackConfigSchema = z.object({
  ...target,
  version: versionNumber("Pick a version from the history.").refine(
    (value) => value >= 1,
    "Pick a version from the history.",
  ),
});

export type SaveConfigInput = z.output<typeof saveConfigSchema>;
export type RollbackConfigInput = z.output<typeof rollbackConfigSchema>;

export function snapshotOf(input: z.output<typeof configValuesSchema>): ConfigSnapshot {
  return Object.fromEntries(CONFIG_FIELDS.map((field) => [field, input[field]])) as ConfigSnapshot;
}

// Stored rows are read leniently: a value that no longer parses reads as "not set" instead of
// breaking the page or a provider call.
const storedNumber = z.number().nullable().optional().catch(null);
export const storedConfigValuesSchema = z
  .object(
    Object.fromEntries(NUMERIC_CONFIG_FIELDS.map((field) => [field, storedNumber])) as Record<
      NumericConfigField,
      typeof storedNumber
    >,
  )
  .catch({});

export function snapshotFromStored(values: unknown, monthlyBudgetUsd: string | null): ConfigSnapshot {
  const parsed = storedConfigValuesSchema.parse(values);
  const numbers = Object.fromEntries(NUMERIC_CONFIG_FIELDS.map((field) => [field, parsed[field] ?? null]));
  return { ...numbers, monthlyBudgetUsd } as ConfigSnapshot;
}

/** The jsonb column holds the numeric fields; the budget has its own decimal column. */
export function storedValuesOf(snapshot: ConfigSnapshot): Record<NumericConfigField, number | null> {
  return Object.fromEntries(NUMERIC_CONFIG_FIELDS.map((field) => [field, snapshot[field]])) as Record<
    NumericConfigField,
    number | null
  >;
}
