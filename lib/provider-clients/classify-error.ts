import { APICallError } from "@ai-sdk/provider";

import {
  classifyHttpStatus,
  describeThrown,
  detailFromBody,
  isNetworkError,
  isTimeoutError,
  providerFailure,
  transportFailureClass,
  type ProviderFailure,
} from "@/lib/provider-clients/errors";

// AI SDK errors whose cause is an answer we could not read (bad JSON, wrong shape, empty body).
const MALFORMED_ERROR_NAMES = new Set([
  "AI_JSONParseError",
  "AI_TypeValidationError",
  "AI_InvalidResponseDataError",
  "AI_EmptyResponseBodyError",
  "AI_NoContentGeneratedError",
  "SyntaxError",
]);

function errorNames(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && names.length < 6) {
    names.push(current.name);
    current = current.cause;
  }
  return names;
}

// Maps whatever the SDK (or our fetch, or the Ollama adapter) threw to one error class with a
// scrubbed message. HTTP answers are classified by status and body; everything else by cause.
export function classifyCallError(error: unknown, apiKey: string): ProviderFailure {
  const transport = transportFailureClass(error);
  if (transport) {
    const status =
      transport.error.name === "ProviderRedirectError"
        ? (transport.error as Error & { status?: number }).status
        : undefined;
    return providerFailure(transport.errorClass, { upstream: transport.error.message }, apiKey, status);
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined && error.statusCode >= 400) {
    const body = error.responseBody ?? "";
    return providerFailure(
      classifyHttpStatus(error.statusCode, body),
      { upstream: detailFromBody(body) ?? error.message },
      apiKey,
      error.statusCode,
    );
  }
  if (isTimeoutError(error)) return providerFailure("timeout", undefined, apiKey);
  if (isNetworkError(error)) return providerFailure("network", { upstream: describeThrown(error) }, apiKey);
  if (errorNames(error).some((name) => MALFORMED_ERROR_NAMES.has(name))) {
    return providerFailure("malformed_response", { upstream: describeThrown(error) }, apiKey);
  }
  return providerFailure("provider_error", { upstream: describeThrown(error) }, apiKey);
}
