// The result of one call made by the console itself (test, health check, playground), as shown
// in the UI and stored in run results. Money is a decimal string; null cost means "unpriced".

/**
 * Reasons a call was not even attempted, beside the provider-client error classes. "busy": this
 * instance already had its maximum of provider calls open (see provider-clients/call-limiter.ts).
 * "key_unbound": the key was added for another host than the provider now points at.
 */
export const NOT_RUN_CLASSES = ["no_model", "no_key", "undecryptable", "busy", "key_unbound"] as const;
export type NotRunClass = (typeof NOT_RUN_CLASSES)[number];

export type CallOutcome = {
  ok: boolean;
  /** False when nothing was sent (no model, no usable key): no usage is recorded then. */
  attempted: boolean;
  providerId: string;
  modelId: string | null;
  modelName: string | null;
  keyId: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cost: string | null;
  priced: boolean;
  errorClass: string | null;
  httpStatus: number | null;
  /** The console's classified explanation: safe to show every role and to store. */
  message: string;
  /** A short redacted excerpt of the provider's own words: ADMIN only (never in run results). */
  detail: string | null;
  answer: string;
};

/** An outcome for a call that sent nothing: no latency, no tokens, no cost. */
export function unattempted(
  ids: Pick<CallOutcome, "providerId" | "modelId" | "modelName" | "keyId">,
  errorClass: string,
  message: string,
): CallOutcome {
  const nothing = { latencyMs: null, ttftMs: null, inputTokens: 0, outputTokens: 0, cost: null, priced: false };
  return {
    ok: false,
    attempted: false,
    ...ids,
    ...nothing,
    errorClass,
    httpStatus: null,
    message,
    detail: null,
    answer: "",
  };
}

const ms = (value: number | null) => (value === null ? "—" : `${value} ms`);

/** Trims a decimal string for display: "0.0000123000" → "$0.0000123"; null → "unpriced". */
export function formatCost(cost: string | null): string {
  if (cost === null) return "unpriced";
  const [whole, fraction = ""] = cost.split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `$${whole}${trimmed ? `.${trimmed}` : ".00"}`;
}

/** One line for the key's "last test" column and the audit trail. */
export function summariseOutcome(outcome: CallOutcome): string {
  if (outcome.ok && !outcome.attempted) return outcome.message;
  if (!outcome.ok) return `${outcome.errorClass ?? "error"}: ${outcome.message}`;
  return `OK in ${ms(outcome.latencyMs)} (first token ${ms(outcome.ttftMs)}), ${outcome.inputTokens} in / ${outcome.outputTokens} out tokens, ${formatCost(outcome.cost)}${outcome.modelName ? ` on ${outcome.modelName}` : ""}.`;
}
