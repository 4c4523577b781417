import type { GatewayError } from "@/lib/gateway/formats";

// What a failed attempt means for the next one. Pure, so the fallback rules are unit-tested:
// - "key": the provider refused the key (401/403) or its quota is exhausted: take the key out of
//   rotation and try the provider's next key;
// - "retry": rate limits, 5xx, overload, timeouts and connection failures: retry the target with
//   backoff, then fall back;
// - "next": fall back at once (the model is missing at this provider, or it has no usable key);
// - "context": the prompt is over this model's context window: only a target with a larger one helps;
// - "fatal": the request itself is wrong, or the content was refused: no fallback can help.
export type FailureKind = "key" | "retry" | "next" | "context" | "fatal";

const QUOTA = /insufficient_quota|exceeded your current quota|quota (?:exceeded|exhausted)|billing/i;
const CONTEXT =
  /context[_ ]length|context window|maximum context|prompt is too long|too many (?:input )?tokens|input is too long|exceeds the (?:maximum|model's) (?:number of )?tokens/i;
const REFUSAL = /content[_ ]filter|content management policy|safety|responsible ai|blocked/i;

export function failureKind(error: GatewayError, upstreamText = ""): FailureKind {
  const code = error.body.error.code ?? "";
  const text = `${error.body.error.message} ${upstreamText}`;
  if (code === "upstream_auth_failed") return "key";
  if (code === "upstream_rate_limited") return QUOTA.test(text) ? "key" : "retry";
  if (code === "upstream_overloaded" || code === "upstream_error" || code === "upstream_timeout") return "retry";
  if (code === "provider_key_unavailable" || code === "model_not_found") return "next";
  if (error.status === 400 || error.status === 413) {
    if (CONTEXT.test(text)) return "context";
    return "fatal";
  }
  if (REFUSAL.test(text)) return "fatal";
  return error.status >= 500 ? "retry" : "fatal";
}

/** Exponential backoff with jitter; a provider's Retry-After wins when it fits the deadline. */
export function backoffMs(
  attempt: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== null && retryAfterSeconds >= 0) return Math.min(retryAfterSeconds * 1000, 30_000);
  const base = 100 * 2 ** attempt;
  return Math.round(base / 2 + random() * base);
}
