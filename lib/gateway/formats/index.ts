// The gateway's translation layer: pure functions that validate an OpenAI chat request, turn it into
// each translated provider's wire format (Anthropic, Gemini), and turn responses, stream events and
// errors back into OpenAI's shape. No I/O here: the gateway server does the calls, limits and usage.
export { parseChatRequest, parseChatRequestJson, requestedMaxTokens, stopSequences } from "./openai/parse-request";
export {
  chatRequestSchema,
  type ChatMessage,
  type ChatRequest,
  type ChatTool,
  type ChatToolCall,
} from "./openai/request-schema";
export {
  classifyStatus,
  gatewayError,
  invalidRequest,
  unsupported,
  upstreamError,
  UPSTREAM_ERROR_CLASSES,
  type UpstreamErrorClass,
} from "./openai/errors";
export type { StreamTranslator } from "./openai/chunks";
export type * from "./openai/types";
export { inspectPassthroughEvent, readUsage, requestStreamUsage } from "./openai/passthrough";
export { formatSse, formatSseJson, parseSse, SSE_DONE, SSE_KEEPALIVE, SseParser, type SseEvent } from "./sse";

export { anthropicConfig } from "./anthropic/config";
export { toAnthropicRequest, type AnthropicRequestOptions, type AnthropicTranslatedRequest } from "./anthropic/request";
export { anthropicUsage, fromAnthropicError, fromAnthropicResponse } from "./anthropic/response";
export { anthropicErrorType, toAnthropicErrorBody } from "./anthropic/caller-errors";
export { createAnthropicStreamTranslator } from "./anthropic/stream";
export type { AnthropicRequest, AnthropicRequestContext } from "./anthropic/types";

export { geminiConfig } from "./gemini/config";
export { toGeminiRequest, type GeminiRequestOptions } from "./gemini/request";
export { fromGeminiError, fromGeminiResponse, geminiUsage } from "./gemini/response";
export { createGeminiStreamTranslator } from "./gemini/stream";
export type { GeminiRequest } from "./gemini/types";
