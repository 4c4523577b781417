// The request settings a provider or model can carry, shared by the server and the forms.
// A version stores a complete snapshot of its own level; null means "not set here", which
// inherits (model → provider → built-in default) when the effective configuration is merged.

export const NUMERIC_CONFIG_FIELDS = [
  "temperature",
  "maxOutputTokens",
  "topP",
  "timeoutMs",
  "retries",
  "requestsPerMinute",
  "tokensPerMinute",
] as const;

export const CONFIG_FIELDS = [...NUMERIC_CONFIG_FIELDS, "monthlyBudgetUsd"] as const;

export type NumericConfigField = (typeof NUMERIC_CONFIG_FIELDS)[number];
export type ConfigField = (typeof CONFIG_FIELDS)[number];

/** Money stays a decimal string ("150.00"), never a float. */
export type ConfigSnapshot = { [K in NumericConfigField]: number | null } & { monthlyBudgetUsd: string | null };

export type ConfigScopeName = "provider" | "model";
export type ConfigSource = "default" | "provider" | "model";

type FieldMeta = {
  label: string;
  unit: string;
  group: "parameters" | "limits" | "budget";
  hint: string;
  /** What a null built-in default means for this field. */
  whenUnset: string;
};

export const FIELD_META: Record<ConfigField, FieldMeta> = {
  temperature: {
    label: "Temperature",
    unit: "",
    group: "parameters",
    hint: "Sampling temperature sent with each request.",
    whenUnset: "provider's default",
  },
  maxOutputTokens: {
    label: "Max output tokens",
    unit: "tokens",
    group: "parameters",
    hint: "Upper bound on tokens in each answer.",
    whenUnset: "provider's default",
  },
  topP: {
    label: "Top-p",
    unit: "",
    group: "parameters",
    hint: "Nucleus sampling cut-off.",
    whenUnset: "provider's default",
  },
  timeoutMs: {
    label: "Timeout",
    unit: "ms",
    group: "parameters",
    hint: "How long one attempt may take, in milliseconds.",
    whenUnset: "none",
  },
  retries: {
    label: "Retries",
    unit: "",
    group: "parameters",
    hint: "Extra attempts after a 429, a 5xx or a connection error.",
    whenUnset: "none",
  },
  requestsPerMinute: {
    label: "Requests per minute",
    unit: "req/min",
    group: "limits",
    hint: "A positive whole number.",
    whenUnset: "no limit",
  },
  tokensPerMinute: {
    label: "Tokens per minute",
    unit: "tokens/min",
    group: "limits",
    hint: "A positive whole number.",
    whenUnset: "no limit",
  },
  monthlyBudgetUsd: {
    label: "Monthly budget",
    unit: "USD",
    group: "budget",
    hint: "US dollars, up to two decimals, e.g. 250.00.",
    whenUnset: "no budget",
  },
};

/**
 * What applies when neither the model nor the provider sets a field. Sampling parameters and
 * limits default to "not sent / unlimited" so each provider's own default applies; timeout and
 * retries need a number for the clients to work with.
 */
export const CONFIG_DEFAULTS: ConfigSnapshot = {
  temperature: null,
  maxOutputTokens: null,
  topP: null,
  timeoutMs: 60_000,
  retries: 2,
  requestsPerMinute: null,
  tokensPerMinute: null,
  monthlyBudgetUsd: null,
};

export const EMPTY_SNAPSHOT: ConfigSnapshot = {
  temperature: null,
  maxOutputTokens: null,
  topP: null,
  timeoutMs: null,
  retries: null,
  requestsPerMinute: null,
  tokensPerMinute: null,
  monthlyBudgetUsd: null,
};

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** How a value reads in tables and diffs; `unset` is the wording for null at that place. */
export function formatConfigValue(field: ConfigField, value: number | string | null, unset = "not set"): string {
  if (value === null) return unset;
  if (field === "monthlyBudgetUsd") return `$${value}`;
  if (field === "temperature" || field === "topP") return String(value);
  const unit = FIELD_META[field].unit;
  return unit ? `${integerFormat.format(Number(value))} ${unit}` : integerFormat.format(Number(value));
}

/** The value as a form control shows it: plain digits, no grouping, empty when unset. */
export function formValue(value: number | string | null): string {
  return value === null ? "" : String(value);
}

export const utcTime = (at: Date) => `${at.toISOString().replace("T", " ").slice(0, 19)} UTC`;
