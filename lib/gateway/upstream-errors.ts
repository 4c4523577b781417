import "server-only";
import {
  classifyStatus,
  upstreamError,
  UPSTREAM_ERROR_CLASSES,
  type GatewayError,
  type UpstreamErrorClass,
} from "@/lib/gateway/formats";
import { fromAnthropicError, fromGeminiError } from "@/lib/gateway/formats";
import { isUpstreamTimeout, UpstreamRedirectError } from "@/lib/gateway/upstream";
import { EgressRefusedError } from "@/lib/provider-clients/egress";
import type { WireFormat } from "@/lib/providers/catalog";
import { redactedExcerpt } from "@/lib/log/redact";

// A provider's failure as the caller sees it: classified like test calls (lib/gateway/formats
// errors.ts), and the provider's own words passed on only after every key is scrubbed out.

const MESSAGE_MAX = 400;

function scrubbed(error: GatewayError, apiKey: string): GatewayError {
  return {
    status: error.status,
    body: { error: { ...error.body.error, message: redactedExcerpt(error.body.error.message, [apiKey], MESSAGE_MAX) } },
  };
}

export function classOfStatus(status: number): UpstreamErrorClass {
  return classifyStatus(status);
}

/** The gateway's answer for a non-2xx provider response. */
export function fromUpstreamStatus(
  wire: WireFormat,
  provider: string,
  status: number,
  text: string,
  apiKey: string,
): GatewayError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (wire === "anthropic") return scrubbed(fromAnthropicError(status, body), apiKey);
  if (wire === "gemini") return scrubbed(fromGeminiError(status, body), apiKey);
  const errorClass = classifyStatus(status);
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : null;
  const inner =
    record && typeof record.error === "object" && record.error ? (record.error as Record<string, unknown>) : null;
  const message =
    (inner && typeof inner.message === "string" && inner.message) ||
    (record && typeof record.error === "string" && record.error) ||
    (record && typeof record.message === "string" && record.message) ||
    `HTTP ${status}`;
  return scrubbed(upstreamError(errorClass, provider, message), apiKey);
}

/**
 * The provider's Retry-After on a 429 or 503, passed to the caller so its SDK backs off as long as
 * the provider asked (seconds or an HTTP date; anything else is dropped).
 */
export function upstreamRetryAfter(
  status: number,
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  if (status !== 429 && status !== 503) return {};
  const value = headers["retry-after"];
  const text = (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
  const valid = /^\d{1,7}$/.test(text) || (/^[\w ,:+-]{1,64}$/.test(text) && !Number.isNaN(Date.parse(text)));
  return valid ? { "retry-after": text } : {};
}

export type CallFailure = { error: GatewayError; errorClass: UpstreamErrorClass };

/** A call that got no HTTP answer: refused connection, DNS, egress policy, timeout, redirect. */
export function fromCallError(error: unknown, provider: string): CallFailure {
  if (isUpstreamTimeout(error)) {
    return { errorClass: "timeout", error: upstreamError("timeout", provider, "the provider did not answer in time") };
  }
  if (error instanceof EgressRefusedError || error instanceof UpstreamRedirectError) {
    return { errorClass: "upstream_server", error: upstreamError("upstream_server", provider, error.message) };
  }
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
  const what =
    code === "ECONNREFUSED"
      ? "connection refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "the provider's host did not resolve"
        : code === "ECONNRESET" || code === "UND_ERR_SOCKET"
          ? "the connection was reset"
          : "the provider could not be reached";
  return { errorClass: "upstream_server", error: upstreamError("upstream_server", provider, what) };
}

export function classOf(error: GatewayError): string {
  for (const [name, shape] of Object.entries(UPSTREAM_ERROR_CLASSES))
    if (shape.code === error.body.error.code) return name;
  return error.status === 400 ? "invalid_request" : "upstream_server";
}
