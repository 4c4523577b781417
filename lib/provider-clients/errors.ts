import { redactedExcerpt } from "@/lib/log/redact";

// One vocabulary for every failure a provider call can end in, whatever SDK or wire format
// produced it: the test-call UI, usage records and health checks all speak these classes.
export const ERROR_CLASSES = [
  "invalid_key",
  "rate_limited",
  "quota_exhausted",
  "model_not_found",
  "timeout",
  "network",
  "provider_error",
  "malformed_response",
  "bad_request",
  // A 3xx: provider requests never follow redirects (the key would travel with them).
  "redirect",
  // The egress policy refused the address (loopback, private, metadata…) or the request's origin.
  "egress_refused",
  // The caller (a closed browser tab) stopped the call: says nothing about the provider.
  "cancelled",
] as const;

export type ErrorClass = (typeof ERROR_CLASSES)[number];

export type ProviderFailure = {
  ok: false;
  errorClass: ErrorClass;
  /** The classified explanation, written by the console: safe for every role. */
  message: string;
  /** A short, redacted excerpt of what the provider (or the socket) said: for ADMIN only. */
  detail?: string;
  httpStatus?: number;
};

// Providers word "out of credit" differently (OpenAI insufficient_quota, Anthropic "credit
// balance is too low", Gemini/OpenAI "exceeded your current quota", OpenRouter 402); a plain 429
// is a rate limit that clears by itself.
const QUOTA_WORDING =
  /insufficient_quota|exceeded your current quota|quota exceeded|billing|credit balance|out of credits|payment required/i;
// Gemini refuses a wrong key with 400 API_KEY_INVALID rather than 401.
const INVALID_KEY_WORDING =
  /api[_ ]key[_ ]invalid|api key not valid|invalid api[-_ ]key|incorrect api key|invalid x-api-key/i;
const MODEL_NOT_FOUND_WORDING =
  /model_not_found|model[^.]{0,80}(not (be )?found|does not exist|not exist|unknown|not supported|is not available)|unknown model|no such model|try pulling it/i;

export function mentionsQuota(body: string): boolean {
  return QUOTA_WORDING.test(body);
}

export function classifyHttpStatus(status: number, body = ""): ErrorClass {
  if (status === 401 || status === 403) return "invalid_key";
  if (status === 402) return "quota_exhausted";
  if (status === 429) return mentionsQuota(body) ? "quota_exhausted" : "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "provider_error";
  if (status >= 400) {
    if (INVALID_KEY_WORDING.test(body)) return "invalid_key";
    if (MODEL_NOT_FOUND_WORDING.test(body)) return "model_not_found";
    if (mentionsQuota(body)) return "quota_exhausted";
    return "bad_request";
  }
  return "malformed_response";
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 6) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function codeOf(error: unknown): string | undefined {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

export function isTimeoutError(error: unknown): boolean {
  return errorChain(error).some(
    (e) =>
      e instanceof Error &&
      (e.name === "TimeoutError" || codeOf(e) === "UND_ERR_HEADERS_TIMEOUT" || codeOf(e) === "UND_ERR_BODY_TIMEOUT"),
  );
}

// Errors thrown by fetch itself (no HTTP answer): DNS, refused, reset, socket closed mid-body.
export function isNetworkError(error: unknown): boolean {
  return errorChain(error).some((e) => {
    const code = codeOf(e);
    if (code && NETWORK_CODES.has(code)) return true;
    return (
      e instanceof Error &&
      (e.message === "fetch failed" ||
        /terminated|socket hang up|other side closed|cannot connect to api/i.test(e.message))
    );
  });
}

// The transport's own refusals (provider-fetch.ts, egress.ts), found by name anywhere in the cause
// chain since the SDKs wrap what fetch throws.
const TRANSPORT_CLASSES: Record<string, ErrorClass> = {
  ProviderRedirectError: "redirect",
  EgressRefusedError: "egress_refused",
  ForeignOriginError: "egress_refused",
  UnexpectedContentTypeError: "malformed_response",
};

export function transportFailureClass(error: unknown): { errorClass: ErrorClass; error: Error } | undefined {
  for (const e of errorChain(error)) {
    const errorClass =
      e instanceof Error && Object.hasOwn(TRANSPORT_CLASSES, e.name) ? TRANSPORT_CLASSES[e.name] : undefined;
    if (errorClass && e instanceof Error) return { errorClass, error: e };
  }
  return undefined;
}

export function classifyThrown(error: unknown): ErrorClass {
  const transport = transportFailureClass(error);
  if (transport) return transport.errorClass;
  if (isTimeoutError(error)) return "timeout";
  if (isNetworkError(error)) return "network";
  if (error instanceof SyntaxError) return "malformed_response";
  return "provider_error";
}

const FALLBACK_MESSAGES: Record<ErrorClass, string> = {
  invalid_key: "The provider rejected the API key.",
  rate_limited: "The provider is rate limiting requests.",
  quota_exhausted: "The provider reports the quota or credit is exhausted.",
  model_not_found: "The provider does not know this model.",
  timeout: "The provider did not answer in time.",
  network: "Could not reach the provider (DNS, refused or reset connection).",
  provider_error: "The provider returned a server error.",
  malformed_response: "The provider's answer could not be understood.",
  bad_request: "The provider refused the request.",
  redirect: "The provider answered with a redirect, which is never followed; check the base URL.",
  egress_refused:
    "The provider's address is on an internal network, which provider calls may not reach unless an administrator allows it.",
  cancelled: "The call was cancelled before the provider finished.",
};

/** Longest upstream excerpt kept (after redaction). */
export const DETAIL_MAX_LENGTH = 160;

// Upstream text may echo the key or hold internal data; it is redacted first (the key and its
// encodings as extra secrets), then cut, and kept apart from the classified message.
export function scrubMessage(text: string, secrets: string | readonly string[] | undefined, maxLength = 500): string {
  const list = secrets === undefined ? [] : typeof secrets === "string" ? [secrets] : secrets;
  return redactedExcerpt(text, list.filter(Boolean), maxLength);
}

export type FailureText = {
  /** The console's own words (a fixed guidance line): joined to the classified message. */
  note?: string;
  /** What the provider or the socket said: redacted, cut, ADMIN-only. */
  upstream?: string;
};

export function providerFailure(
  errorClass: ErrorClass,
  text: FailureText | undefined,
  apiKey: string | undefined,
  httpStatus?: number,
): ProviderFailure {
  const base = FALLBACK_MESSAGES[errorClass];
  const message = text?.note ? `${base} ${text.note}` : base;
  const detail = text?.upstream ? scrubMessage(text.upstream, apiKey, DETAIL_MAX_LENGTH) : "";
  return {
    ok: false,
    errorClass,
    message,
    ...(detail ? { detail } : {}),
    ...(httpStatus !== undefined ? { httpStatus } : {}),
  };
}

// Pull the human part out of the error bodies of each wire format (OpenAI/Gemini
// `{error:{message}}`, Anthropic `{type:"error",error:{message}}`, Ollama `{error:"..."}`).
export function detailFromBody(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    const root = Array.isArray(parsed) ? parsed[0] : parsed;
    if (root && typeof root === "object" && "error" in root) {
      const error = root.error;
      if (typeof error === "string") return error;
      if (error && typeof error === "object" && "message" in error && typeof error.message === "string")
        return error.message;
    }
    if (root && typeof root === "object" && "message" in root && typeof root.message === "string") return root.message;
  } catch {
    // Not JSON: fall through to the raw text (HTML error pages, proxies).
  }
  // Not cut here: the caller redacts first, then cuts.
  return trimmed;
}

// fetch() says only "fetch failed"; the useful part ("connect ECONNREFUSED ...") is in the cause.
export function describeThrown(error: unknown): string | undefined {
  const messages = errorChain(error)
    .filter((e): e is Error => e instanceof Error)
    .map((e) => e.message)
    .filter((m) => m && m !== "fetch failed");
  return messages.at(-1) ?? (error instanceof Error ? error.message : undefined);
}
