// Callers of the Anthropic-native /v1/messages endpoint get the gateway's own errors (bad key,
// model not allowed, budget spent, upstream down) in Anthropic's error shape, which their SDK
// parses; the status stays the one the gateway decided.
import type { GatewayError } from "../openai/types";
import type { AnthropicErrorBody } from "./types";

// Anthropic's error types by HTTP status (https://docs.anthropic.com/en/api/errors).
const TYPES_BY_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  503: "overloaded_error",
  504: "timeout_error",
  529: "overloaded_error",
};

export function anthropicErrorType(status: number): string {
  if (Object.hasOwn(TYPES_BY_STATUS, status)) return TYPES_BY_STATUS[status] ?? "api_error";
  return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
}

export function toAnthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  return { type: "error", error: { type: anthropicErrorType(error.status), message: error.body.error.message } };
}
