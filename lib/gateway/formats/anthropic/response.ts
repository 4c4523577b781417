// Anthropic Messages response (and error body) -> OpenAI chat completion shapes.
import { classifyStatus, isRecord, lookup, malformedUpstream, upstreamError } from "../openai/errors";
import type {
  ChatResponse,
  ChatUsage,
  FinishReason,
  GatewayError,
  ResponseContext,
  ResponseToolCall,
  Translation,
} from "../openai/types";
import { ANTHROPIC, ERROR_TYPES, STOP_REASONS } from "./config";
import type { AnthropicRequestContext, AnthropicResponse, AnthropicUsage } from "./types";

function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

// Anthropic's input_tokens excludes cached tokens; OpenAI's prompt_tokens includes them, with the
// cache reads repeated in cached_tokens. Cache writes count as prompt tokens too, or their cost is lost.
export function anthropicUsage(usage: AnthropicUsage): ChatUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const prompt = count(usage.input_tokens) + cacheRead + count(usage.cache_creation_input_tokens);
  const completion = count(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

export function finishReason(
  stopReason: string | null | undefined,
  context: AnthropicRequestContext,
): FinishReason | null {
  if (stopReason === null || stopReason === undefined) return null;
  // The emulated json tool is how the answer is delivered, not a call the caller must run.
  if (stopReason === "tool_use" && context.jsonToolName) return "stop";
  return lookup(STOP_REASONS, stopReason) ?? "stop";
}

// Content stays unknown[] until each block is checked, so no field is trusted before it is read.
function isAnthropicResponse(value: unknown): value is Omit<AnthropicResponse, "content"> & { content: unknown[] } {
  return isRecord(value) && typeof value.id === "string" && Array.isArray(value.content) && isRecord(value.usage);
}

export function fromAnthropicResponse(
  body: unknown,
  context: AnthropicRequestContext,
  response: ResponseContext,
): Translation<ChatResponse> {
  if (!isAnthropicResponse(body)) return { ok: false, error: malformedUpstream(ANTHROPIC, "not a Messages response") };
  let text = "";
  const toolCalls: ResponseToolCall[] = [];
  for (const block of body.content.filter(isRecord)) {
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      const args = JSON.stringify(isRecord(block.input) ? block.input : {});
      if (block.name === context.jsonToolName) text += args;
      else toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: args } });
    }
  }
  const hasContent = text.length > 0 || toolCalls.length === 0;
  return {
    ok: true,
    value: {
      id: body.id,
      object: "chat.completion",
      created: response.created,
      model: response.model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: hasContent ? text : null,
            refusal: null,
            ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: finishReason(typeof body.stop_reason === "string" ? body.stop_reason : null, context),
          logprobs: null,
        },
      ],
      usage: anthropicUsage(body.usage),
    },
  };
}

// An Anthropic error body (or anything else a failing upstream sent) as an OpenAI error with the
// status the gateway should answer; the HTTP status decides when the body says nothing useful.
export function fromAnthropicError(status: number, body: unknown): GatewayError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const type = error && typeof error.type === "string" ? error.type : "";
  const message = error && typeof error.message === "string" ? error.message : "";
  return upstreamError(lookup(ERROR_TYPES, type) ?? classifyStatus(status), ANTHROPIC, message);
}
