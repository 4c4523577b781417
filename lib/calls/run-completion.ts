import "server-only";

import { streamText, type LanguageModelUsage, type ModelMessage, type ToolChoice, type ToolSet } from "ai";

import { createLanguageModel } from "@/lib/provider-clients/adapters";
import { classifyCallError } from "@/lib/provider-clients/classify-error";
import { providerFailure, type ErrorClass } from "@/lib/provider-clients/errors";
import { createResilientFetch } from "@/lib/provider-clients/resilient-fetch";
import { originOf } from "@/lib/provider-clients/provider-fetch";
import { kindProfile } from "@/lib/provider-clients/wire-formats";
import { withUnstreamedFallback } from "@/lib/provider-clients/unstreamed-fallback";
import type { RetryPolicy } from "@/lib/provider-clients/retry";

/** A conversation turn as the AI SDK models it: system, user, assistant (text or tool calls), tool results. */
export type CallMessage = ModelMessage;

export type CompletionInput = {
  kind: string;
  baseUrl: string;
  apiKey: string;
  model: string;
  messages: CallMessage[];
  /** Tools the model may call; without `execute` the calls are returned, not run (the caller decides). */
  tools?: ToolSet;
  toolChoice?: ToolChoice<ToolSet>;
  maxOutputTokens: number;
  temperature?: number;
  topP?: number;
  // Per attempt, including the streamed body.
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  retryPolicy?: RetryPolicy;
};

export type CompletionToolCall = { toolCallId: string; toolName: string; input: unknown };

export type CompletionSuccess = {
  ok: true;
  text: string;
  toolCalls: CompletionToolCall[];
  /** The provider's reason for stopping, unified by the SDK ("stop", "length", "tool-calls"…). */
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  // True when the provider reported no usage and the counts are estimated from the text.
  usageEstimated: boolean;
  // Both measured from the start of the call, so retries and backoff are included: what the
  // person waiting saw.
  ttftMs: number;
  totalMs: number;
  httpStatus: number;
  attempts: number;
};

export type CompletionFailure = {
  ok: false;
  errorClass: ErrorClass;
  message: string;
  /** Redacted excerpt of the provider's words: ADMIN only. */
  detail?: string;
  httpStatus?: number;
  ttftMs?: number;
  totalMs: number;
  attempts: number;
};

export type CompletionResult = CompletionSuccess | CompletionFailure;

// Streams (SSE, Ollama's NDJSON) and the one-JSON answer of servers that ignore `stream: true`.
const STREAM_CONTENT_TYPES = ["text/event-stream", "application/json", "application/x-ndjson"] as const;

const estimateTokens = (text: string) => (text ? Math.ceil(text.length / 4) : 0);

// The text a token estimate is made from when the provider reports no usage.
function promptText(messages: CallMessage[]): string {
  return messages
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join(""),
    )
    .join("\n");
}

function usageOf(usage: LanguageModelUsage | undefined, prompt: string, text: string) {
  const reported = usage?.inputTokens !== undefined && usage.outputTokens !== undefined;
  const cached = usage?.inputTokenDetails?.cacheReadTokens;
  return {
    inputTokens: usage?.inputTokens ?? estimateTokens(prompt),
    outputTokens: usage?.outputTokens ?? estimateTokens(text),
    ...(cached !== undefined ? { cachedInputTokens: cached } : {}),
    usageEstimated: !reported,
  };
}

// One streamed completion against any provider kind: the single entry point for every call the
// console makes (test calls, health checks, playground, and the gateway). Never throws; every failure comes back classified with a
// message scrubbed of the key.
export async function runCompletion(input: CompletionInput): Promise<CompletionResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const origin = originOf(input.baseUrl);
  if (!origin)
    return {
      ...providerFailure("bad_request", { note: "The base URL is not a valid URL." }, input.apiKey),
      totalMs: 0,
      attempts: 0,
    };
  const { fetch, stats } = createResilientFetch({
    timeoutMs: input.timeoutMs,
    maxRetries: input.maxRetries,
    signal: input.signal,
    policy: input.retryPolicy,
    // Only the base URL's origin, and a 2xx must be an API answer: a text/plain page is not a success.
    transport: { allowedOrigin: origin, expectContentTypes: STREAM_CONTENT_TYPES },
  });
  const wire = kindProfile(input.kind)?.wire;
  const modelFetch = wire === "openai" || wire === "azure" ? withUnstreamedFallback(fetch) : fetch;
  const model = createLanguageModel(
    input.kind,
    { baseUrl: input.baseUrl, apiKey: input.apiKey, fetch: modelFetch },
    input.model,
  );
  if (!model) {
    return {
      ...providerFailure("bad_request", { note: `Unknown provider kind "${input.kind}".` }, input.apiKey),
      totalMs: 0,
      attempts: 0,
    };
  }

  let text = "";
  let ttftMs: number | undefined;
  let failure: unknown;
  let usage: LanguageModelUsage | undefined;
  let finished = false;
  let finishReason = "stop";
  const toolCalls: CompletionToolCall[] = [];
  try {
    const result = streamText({
      model,
      messages: input.messages,
      // The conversation is the caller's own (a gateway client's): its system turns are its instructions.
      allowSystemInMessages: true,
      ...(input.tools ? { tools: input.tools, toolChoice: input.toolChoice } : {}),
      maxOutputTokens: input.maxOutputTokens,
      temperature: input.temperature,
      topP: input.topP,
      // Retries live in our fetch (429/5xx/connection only); SDK retries would multiply them.
      maxRetries: 0,
      abortSignal: input.signal,
      // The default handler logs the raw error, which may carry the key; we classify instead.
      onError: () => undefined,
    });
    for await (const part of result.fullStream) {
      if (part.type === "text-delta" && part.text) {
        ttftMs ??= elapsed();
        text += part.text;
        input.onToken?.(part.text);
      } else if (part.type === "error") failure ??= part.error;
      else if (part.type === "abort") failure ??= input.signal?.reason ?? new DOMException("Aborted", "AbortError");
      else if (part.type === "tool-call")
        toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
      else if (part.type === "finish") {
        finished = true;
        finishReason = part.finishReason;
        usage = part.totalUsage;
      }
    }
  } catch (error) {
    failure ??= error;
  }
  const totalMs = elapsed();
  // A stream that ends without its closing event is not an answer, whatever its status.
  if (failure === undefined && !finished) failure = new SyntaxError("The provider's stream ended without finishing.");

  if (failure !== undefined) {
    const classified =
      input.signal?.aborted && !(failure instanceof Error && failure.name === "TimeoutError")
        ? providerFailure("cancelled", undefined, input.apiKey)
        : classifyCallError(failure, input.apiKey);
    const httpStatus = classified.httpStatus ?? stats.lastStatus;
    return {
      ...classified,
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      ...(ttftMs !== undefined ? { ttftMs } : {}),
      totalMs,
      attempts: stats.attempts,
    };
  }
  return {
    ok: true,
    text,
    toolCalls,
    finishReason,
    ...usageOf(usage, promptText(input.messages), text),
    ttftMs: ttftMs ?? totalMs,
    totalMs,
    httpStatus: stats.lastStatus ?? 200,
    attempts: stats.attempts,
  };
}
