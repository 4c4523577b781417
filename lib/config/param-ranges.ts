import { providerKind } from "@/lib/providers/catalog";
import { NUMERIC_CONFIG_FIELDS, type ConfigSnapshot, type NumericConfigField } from "@/lib/config/fields";
import type { FieldErrors } from "@/lib/errors/domain-error";

// Validation ranges per provider kind. Temperature and top-p come from the kind catalog (where
// providers differ: OpenAI-style APIs take temperature 0–2, Anthropic and Mistral 0–1). The rest
// are the same for every kind: they bound what this console's clients will do, not an API.

export type NumberRange = { min: number; max: number; integer: boolean };
export type ConfigRanges = Record<NumericConfigField, NumberRange>;

const SHARED_RANGES = {
  // Output limits depend on the model; this only rejects values no model accepts.
  maxOutputTokens: { min: 1, max: 1_000_000, integer: true },
  timeoutMs: { min: 1_000, max: 600_000, integer: true },
  retries: { min: 0, max: 5, integer: true },
  requestsPerMinute: { min: 1, max: 10_000_000, integer: true },
  tokensPerMinute: { min: 1, max: 10_000_000_000, integer: true },
} as const satisfies Partial<ConfigRanges>;

export function configRanges(kind: string): ConfigRanges {
  const { params } = providerKind(kind);
  return {
    ...SHARED_RANGES,
    temperature: { ...params.temperature, integer: false },
    topP: { ...params.topP, integer: false },
  };
}

const plain = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export function describeRange(range: NumberRange): string {
  return `${plain.format(range.min)}–${plain.format(range.max)}`;
}

/** Field errors for values outside the kind's ranges; empty when everything fits. */
export function checkRanges(kind: string, snapshot: ConfigSnapshot): FieldErrors {
  const ranges = configRanges(kind);
  const label = providerKind(kind).label;
  const errors: FieldErrors = {};
  for (const field of NUMERIC_CONFIG_FIELDS) {
    const value = snapshot[field];
    if (value === null) continue;
    const range = ranges[field];
    if (range.integer && !Number.isInteger(value)) {
      errors[field] = ["Enter a whole number."];
    } else if (value < range.min || value > range.max) {
      const which = field === "temperature" || field === "topP" ? ` for ${label}` : "";
      errors[field] = [`Enter a value between ${plain.format(range.min)} and ${plain.format(range.max)}${which}.`];
    }
  }
  return errors;
}
