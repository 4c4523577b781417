import type { ChatReply } from "../http-utils";
import { FAKE_MODELS, sseEvent, type FakeErrorKind, type FakeWireFormat } from "./types";

const ERROR_TYPES: Record<FakeErrorKind, string> = {
  auth: "authentication_error",
  rate_limit: "rate_limit_error",
  quota: "billing_error",
  model_not_found: "not_found_error",
  server: "api_error",
  bad_request: "invalid_request_error",
};

function message(reply: ChatReply, content: unknown[], outputTokens: number, stopReason: string | null) {
  return {
    id: `msg_${reply.id}`,
    type: "message",
    role: "assistant",
    model: reply.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: reply.inputTokens,
      output_tokens: outputTokens,
      cache_read_input_tokens: reply.cachedInputTokens,
      cache_creation_input_tokens: 0,
    },
  };
}

const stopReason = (reply: ChatReply) => (reply.toolCall ? "tool_use" : "end_turn");

// Anthropic Messages API with its named SSE events.
export const anthropicFormat: FakeWireFormat = {
  name: "anthropic",
  models: () => ({
    data: FAKE_MODELS.map((m) => ({
      type: "model",
      id: m.id,
      display_name: m.displayName,
      created_at: "2025-01-01T00:00:00Z",
    })),
    has_more: false,
    first_id: FAKE_MODELS[0]?.id ?? null,
    last_id: FAKE_MODELS.at(-1)?.id ?? null,
  }),
  // Anthropic says "overloaded" as overloaded_error (its own 529; the fake's 503 maps to it).
  error: (status, kind, text) => ({
    type: "error",
    error: { type: status === 503 || status === 529 ? "overloaded_error" : ERROR_TYPES[kind], message: text },
  }),
  completion: (reply) =>
    message(
      reply,
      reply.toolCall
        ? [{ type: "tool_use", id: reply.toolCall.id, name: reply.toolCall.name, input: reply.toolCall.arguments }]
        : [{ type: "text", text: reply.tokens.join("") }],
      reply.outputTokens,
      stopReason(reply),
    ),
  streamContentType: "text/event-stream",
  streamStart: (reply) => [
    sseEvent("message_start", { type: "message_start", message: message(reply, [], 1, null) }),
    sseEvent("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: reply.toolCall
        ? { type: "tool_use", id: reply.toolCall.id, name: reply.toolCall.name, input: {} }
        : { type: "text", text: "" },
    }),
    sseEvent("ping", { type: "ping" }),
  ],
  streamDelta: (_reply, text) => [
    sseEvent("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
  ],
  streamEnd: (reply) => [
    ...(reply.toolCall
      ? [
          sseEvent("content_block_delta", {
            type: "content_block_delta",
            index: 0,
            delta: { type: "input_json_delta", partial_json: JSON.stringify(reply.toolCall.arguments) },
          }),
        ]
      : []),
    sseEvent("content_block_stop", { type: "content_block_stop", index: 0 }),
    sseEvent("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason(reply), stop_sequence: null },
      usage: { output_tokens: reply.outputTokens },
    }),
    sseEvent("message_stop", { type: "message_stop" }),
  ],
  malformedFrame: 'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": {\n\n',
};
