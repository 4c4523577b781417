// Gemini generateContent response (and error body) -> OpenAI chat completion shapes.
import { classifyStatus, isRecord, lookup, malformedUpstream, upstreamError } from "../openai/errors";
import type {
  ChatChoice,
  ChatResponse,
  ChatUsage,
  FinishReason,
  GatewayError,
  ResponseContext,
  ResponseToolCall,
  Translation,
} from "../openai/types";
import { ERROR_REASONS, ERROR_STATUSES, FINISH_REASONS, GEMINI } from "./config";
import { withSignature } from "./thought-signature";
import type { GeminiCandidate, GeminiResponse, GeminiResponsePart, GeminiUsage } from "./types";

function count(value: number | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

// promptTokenCount already includes the cached tokens (cachedContentTokenCount is a part of it);
// thinking tokens are billed as output, so they count as completion tokens.
export function geminiUsage(usage: GeminiUsage): ChatUsage {
  const prompt = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const reasoning = count(usage.thoughtsTokenCount);
  const completion = count(usage.candidatesTokenCount) + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(usage.cachedContentTokenCount) },
    ...(reasoning ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
  };
}

export function finishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason | null {
  if (!reason) return null;
  const mapped = lookup(FINISH_REASONS, reason) ?? "stop";
  return mapped === "stop" && hasToolCalls ? "tool_calls" : mapped;
}

// Thought summaries are the model's reasoning, not its answer; they are not shown as content.
export function answerText(part: GeminiResponsePart): string {
  return typeof part.text === "string" && !part.thought ? part.text : "";
}

export function toolCallOf(part: GeminiResponsePart, newId: () => string): ResponseToolCall | null {
  const call = part.functionCall;
  if (!call || typeof call.name !== "string") return null;
  const id = withSignature(typeof call.id === "string" && call.id ? call.id : newId(), part.thoughtSignature);
  return { id, type: "function", function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) } };
}

export function defaultToolCallId(): string {
  return `call_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

// Upstream JSON is checked as it is read, so an odd body yields a 502 or an empty part, never a throw.
export function candidatesOf(body: GeminiResponse): GeminiCandidate[] {
  return Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
}

export function partsOf(candidate: GeminiCandidate): GeminiResponsePart[] {
  const parts = isRecord(candidate.content) ? candidate.content.parts : undefined;
  return Array.isArray(parts) ? parts.filter(isRecord) : [];
}

export function indexOf(candidate: GeminiCandidate, position: number): number {
  return typeof candidate.index === "number" && Number.isInteger(candidate.index) && candidate.index >= 0
    ? candidate.index
    : position;
}

function choiceOf(candidate: GeminiCandidate, position: number, newId: () => string): ChatChoice {
  let text = "";
  const toolCalls: ResponseToolCall[] = [];
  for (const part of partsOf(candidate)) {
    text += answerText(part);
    const call = toolCallOf(part, newId);
    if (call) toolCalls.push(call);
  }
  return {
    index: indexOf(candidate, position),
    message: {
      role: "assistant",
      content: text.length > 0 || toolCalls.length === 0 ? text : null,
      refusal: null,
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    },
    finish_reason:
      finishReason(
        typeof candidate.finishReason === "string" ? candidate.finishReason : undefined,
        toolCalls.length > 0,
      ) ?? "stop",
    logprobs: null,
  };
}

// A prompt Gemini blocks outright comes back with no candidates, only promptFeedback.blockReason.
const BLOCKED_CHOICE: ChatChoice = {
  index: 0,
  message: { role: "assistant", content: null, refusal: null },
  finish_reason: "content_filter",
  logprobs: null,
};

export function fromGeminiResponse(body: unknown, response: ResponseContext): Translation<ChatResponse> {
  if (!isRecord(body) || (!Array.isArray(body.candidates) && !isRecord(body.promptFeedback))) {
    return { ok: false, error: malformedUpstream(GEMINI, "not a generateContent response") };
  }
  const gemini: GeminiResponse = body;
  const newId = response.newToolCallId ?? defaultToolCallId;
  const candidates = candidatesOf(gemini);
  const choices = candidates.length
    ? candidates.map((candidate, position) => choiceOf(candidate, position, newId))
    : [BLOCKED_CHOICE];
  return {
    ok: true,
    value: {
      id: typeof gemini.responseId === "string" ? gemini.responseId : `chatcmpl-${newId()}`,
      object: "chat.completion",
      created: response.created,
      model: response.model,
      choices: choices.sort((a, b) => a.index - b.index),
      usage: geminiUsage(isRecord(gemini.usageMetadata) ? gemini.usageMetadata : {}),
    },
  };
}

// Gemini's google.rpc error body (sometimes wrapped in a one-element array) as an OpenAI error.
export function fromGeminiError(status: number, body: unknown): GatewayError {
  const unwrapped = Array.isArray(body) ? body[0] : body;
  const error = isRecord(unwrapped) && isRecord(unwrapped.error) ? unwrapped.error : null;
  const message = error && typeof error.message === "string" ? error.message : "";
  const details = error && Array.isArray(error.details) ? error.details : [];
  const reason =
    details
      .map((detail) => (isRecord(detail) && typeof detail.reason === "string" ? detail.reason : ""))
      .find(Boolean) ?? "";
  const rpcStatus = error && typeof error.status === "string" ? error.status : "";
  const errorClass = lookup(ERROR_REASONS, reason) ?? lookup(ERROR_STATUSES, rpcStatus) ?? classifyStatus(status);
  return upstreamError(errorClass, GEMINI, message);
}
