// Errors in OpenAI's `{"error":{message,type,code,param}}` shape. Provider errors are first sorted
// into a few classes (each provider's own table maps onto these), so the status a caller sees
// depends on what went wrong, not on which provider said it.
import type { GatewayError, OpenAIErrorType } from "./types";

export type UpstreamErrorClass =
  | "invalid_request"
  | "upstream_auth"
  | "not_found"
  | "too_large"
  | "rate_limited"
  | "overloaded"
  | "upstream_server"
  | "timeout";

type ErrorClassShape = { status: number; type: OpenAIErrorType; code: string };

// A provider refusing the console's own key is the console's problem, not the caller's: it becomes
// a 502 so a caller never mistakes it for its gateway key being wrong.
export const UPSTREAM_ERROR_CLASSES: Record<UpstreamErrorClass, ErrorClassShape> = {
  invalid_request: { status: 400, type: "invalid_request_error", code: "invalid_request" },
  upstream_auth: { status: 502, type: "upstream_error", code: "upstream_auth_failed" },
  not_found: { status: 404, type: "not_found_error", code: "model_not_found" },
  too_large: { status: 413, type: "invalid_request_error", code: "request_too_large" },
  rate_limited: { status: 429, type: "rate_limit_error", code: "upstream_rate_limited" },
  overloaded: { status: 503, type: "server_error", code: "upstream_overloaded" },
  upstream_server: { status: 502, type: "upstream_error", code: "upstream_error" },
  timeout: { status: 504, type: "upstream_error", code: "upstream_timeout" },
};

export function gatewayError(
  status: number,
  type: OpenAIErrorType,
  message: string,
  code: string | null = null,
  param: string | null = null,
): GatewayError {
  return { status, body: { error: { message, type, code, param } } };
}

export function invalidRequest(message: string, param: string | null = null, code = "invalid_request"): GatewayError {
  return gatewayError(400, "invalid_request_error", message, code, param);
}

// For a request that is valid OpenAI but cannot be expressed for the chosen provider.
export function unsupported(provider: string, message: string, param: string | null = null): GatewayError {
  return gatewayError(
    400,
    "invalid_request_error",
    `${message} (not supported for ${provider} providers)`,
    "unsupported_parameter",
    param,
  );
}

export function upstreamError(errorClass: UpstreamErrorClass, provider: string, message: string): GatewayError {
  const shape = UPSTREAM_ERROR_CLASSES[errorClass];
  const text = message.trim() ? `${provider}: ${message.trim()}` : `${provider} returned an error`;
  return gatewayError(shape.status, shape.type, text, shape.code);
}

// An HTTP status with no recognisable body (an HTML error page, a proxy's 502) still gets a class.
export function classifyStatus(status: number): UpstreamErrorClass {
  if (status === 401 || status === 403) return "upstream_auth";
  if (status === 404) return "not_found";
  if (status === 408 || status === 504) return "timeout";
  if (status === 413) return "too_large";
  if (status === 429) return "rate_limited";
  if (status === 503 || status === 529) return "overloaded";
  if (status >= 400 && status < 500) return "invalid_request";
  return "upstream_server";
}

export function malformedUpstream(provider: string, what: string): GatewayError {
  return upstreamError("upstream_server", provider, `malformed response: ${what}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Table lookups on provider-sent strings: "constructor" or "__proto__" must not find Object's own.
export function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function safeJsonParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
