// Everything that differs between OpenAI's chat format and Gemini's generateContent API, as data.
// The transforms in this folder only walk these tables.
import type { UpstreamErrorClass } from "../openai/errors";
import type { FinishReason } from "../openai/types";

export const GEMINI = "gemini";

// OpenAI numeric fields that land in generationConfig under Gemini's name, with Gemini's range.
export const GENERATION_FIELDS = [
  { from: "temperature", to: "temperature", max: 2 },
  { from: "top_p", to: "topP", max: 1 },
  { from: "seed", to: "seed", max: Number.MAX_SAFE_INTEGER },
  { from: "n", to: "candidateCount", max: 8 },
] as const;

// Gemini has no per-request switch for parallel calls and no end-user field; both are dropped.
export const IGNORED_FIELDS = ["parallel_tool_calls", "user"] as const;

export const TOOL_MODES = { auto: "AUTO", required: "ANY", none: "NONE" } as const;

// Every FinishReason in the v1beta API. STOP with function calls in the candidate becomes
// tool_calls (Gemini has no reason of its own for it); see finishReason() in response.ts.
export const FINISH_REASONS: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  LANGUAGE: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  MALFORMED_FUNCTION_CALL: "stop",
  UNEXPECTED_TOOL_CALL: "stop",
  OTHER: "stop",
  FINISH_REASON_UNSPECIFIED: "stop",
};

// google.rpc status names in Gemini's `error.status`.
export const ERROR_STATUSES: Record<string, UpstreamErrorClass> = {
  INVALID_ARGUMENT: "invalid_request",
  FAILED_PRECONDITION: "invalid_request",
  OUT_OF_RANGE: "invalid_request",
  UNAUTHENTICATED: "upstream_auth",
  PERMISSION_DENIED: "upstream_auth",
  NOT_FOUND: "not_found",
  RESOURCE_EXHAUSTED: "rate_limited",
  CANCELLED: "upstream_server",
  INTERNAL: "upstream_server",
  UNKNOWN: "upstream_server",
  UNAVAILABLE: "overloaded",
  DEADLINE_EXCEEDED: "timeout",
};

// Gemini reports a bad key as 400 INVALID_ARGUMENT; the ErrorInfo reason tells it apart from a
// caller's mistake, so it is not passed on as the caller's fault.
export const ERROR_REASONS: Record<string, UpstreamErrorClass> = {
  API_KEY_INVALID: "upstream_auth",
  API_KEY_EXPIRED: "upstream_auth",
  API_KEY_SERVICE_BLOCKED: "upstream_auth",
};

// fileData needs a MIME type and OpenAI image URLs carry none; guessed from the extension.
export const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
};

export const geminiConfig = {
  provider: GEMINI,
  // Appended to the API root (lib/provider-clients/wire-formats.ts apiRoot("gemini", baseUrl)); the
  // key travels in x-goog-api-key from that module's authHeaders, never in the URL.
  path: (model: string, stream: boolean) =>
    `/models/${encodeURIComponent(model.replace(/^models\//, ""))}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
  headers: { "content-type": "application/json", accept: "application/json" },
  streamHeaders: { "content-type": "application/json", accept: "text/event-stream" },
};
