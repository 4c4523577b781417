// Everything that differs between OpenAI's chat format and Anthropic's Messages API, as data. The
// transforms in this folder only walk these tables.
import type { UpstreamErrorClass } from "../openai/errors";
import type { FinishReason } from "../openai/types";
import type { AnthropicStopReason } from "./types";

export const ANTHROPIC = "anthropic";

// OpenAI fields copied onto Anthropic's request under another name or range. Anthropic's
// temperature stops at 1; a higher one is refused rather than silently clamped.
export const NUMERIC_FIELDS = [
  { from: "temperature", to: "temperature", max: 1 },
  { from: "top_p", to: "top_p", max: 1 },
] as const;

// Fields Anthropic has no equivalent for and that cannot change the answer's shape, so they are
// dropped instead of refusing the request (the caller's SDK may send them by default).
export const IGNORED_FIELDS = ["seed", "user"] as const;

export const STOP_REASONS: Record<AnthropicStopReason, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

// Anthropic's `error.type` values (https://docs.anthropic.com/en/api/errors).
export const ERROR_TYPES: Record<string, UpstreamErrorClass> = {
  invalid_request_error: "invalid_request",
  authentication_error: "upstream_auth",
  permission_error: "upstream_auth",
  billing_error: "upstream_server",
  not_found_error: "not_found",
  request_too_large: "too_large",
  rate_limit_error: "rate_limited",
  api_error: "upstream_server",
  timeout_error: "timeout",
  overloaded_error: "overloaded",
};

// response_format json_object / json_schema are emulated with one forced tool whose input schema is
// the wanted schema: works on every Claude model, unlike Anthropic's newer model-specific
// structured outputs. The tool's input comes back to the caller as the message text.
export const JSON_TOOL = {
  name: "json_response",
  description: "Respond with the final answer as JSON matching this schema.",
  anySchema: { type: "object", additionalProperties: true } as Record<string, unknown>,
};

export const TOOL_CHOICES = {
  auto: { type: "auto" },
  required: { type: "any" },
  none: { type: "none" },
} as const;

export const anthropicConfig = {
  provider: ANTHROPIC,
  // Appended to the API root (lib/provider-clients/wire-formats.ts apiRoot("anthropic", baseUrl));
  // the key and anthropic-version come from that module's authHeaders.
  path: () => "/messages",
  headers: { "content-type": "application/json", accept: "application/json" },
  streamHeaders: { "content-type": "application/json", accept: "text/event-stream" },
};
