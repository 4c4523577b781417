// For OpenAI-format providers the caller's bytes pass through; only usage is read on the way.
// Streams are asked for usage (stream_options.include_usage) so no streamed call is recorded as
// $0, and the extra usage chunk is dropped again when the caller did not ask for it (issue #13).
import type { SseEvent } from "../sse";
import { isRecord, safeJsonParse } from "./errors";
import type { ChatUsage } from "./types";

export type UsageRequest = { body: Record<string, unknown>; callerAskedForUsage: boolean };

// Returns the body to send upstream: unchanged when not streaming or when usage was already asked for.
export function requestStreamUsage(body: Record<string, unknown>): UsageRequest {
  const options = isRecord(body.stream_options) ? body.stream_options : null;
  const callerAskedForUsage = options?.include_usage === true;
  if (body.stream !== true || callerAskedForUsage) return { body, callerAskedForUsage };
  return { body: { ...body, stream_options: { ...options, include_usage: true } }, callerAskedForUsage };
}

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

export type PassthroughEvent = { forward: boolean; usage: ChatUsage | null; done: boolean };

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

// Reads OpenAI's usage object, including the details some compatible providers leave out.
export function readUsage(value: unknown): ChatUsage | null {
  if (!isRecord(value)) return null;
  const prompt = count(value.prompt_tokens);
  const completion = count(value.completion_tokens);
  const promptDetails = isRecord(value.prompt_tokens_details) ? value.prompt_tokens_details : {};
  const completionDetails = isRecord(value.completion_tokens_details) ? value.completion_tokens_details : {};
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: count(value.total_tokens) || prompt + completion,
    prompt_tokens_details: { cached_tokens: count(promptDetails.cached_tokens) },
    ...(count(completionDetails.reasoning_tokens)
      ? { completion_tokens_details: { reasoning_tokens: count(completionDetails.reasoning_tokens) } }
      : {}),
  };
}

// One upstream event: whether to forward it, and the usage or end it carries. Only events whose
// text mentions usage are parsed, so content chunks cost a substring search and nothing more.
export function inspectPassthroughEvent(event: SseEvent, callerAskedForUsage: boolean): PassthroughEvent {
  if (event.data === "[DONE]") return { forward: true, usage: null, done: true };
  // `"usage": null` rides on every chunk once usage is asked for; only an object is worth parsing.
  if (!USAGE_OBJECT.test(event.data)) return { forward: true, usage: null, done: false };
  const parsed = safeJsonParse(event.data);
  if (!parsed.ok || !isRecord(parsed.value)) return { forward: true, usage: null, done: false };
  const usage = readUsage(parsed.value.usage);
  const usageOnly = usage !== null && Array.isArray(parsed.value.choices) && parsed.value.choices.length === 0;
  return { forward: callerAskedForUsage || !usageOnly, usage, done: false };
}
