import type { ChatReply } from "../http-utils";
import { FAKE_MODELS, sse, type FakeErrorKind, type FakeWireFormat } from "./types";

const ERROR_TYPES: Record<FakeErrorKind, { type: string; code: string | null }> = {
  auth: { type: "invalid_request_error", code: "invalid_api_key" },
  rate_limit: { type: "requests", code: "rate_limit_exceeded" },
  quota: { type: "insufficient_quota", code: "insufficient_quota" },
  model_not_found: { type: "invalid_request_error", code: "model_not_found" },
  server: { type: "server_error", code: null },
  bad_request: { type: "invalid_request_error", code: null },
};

function usage(reply: ChatReply) {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: reply.cachedInputTokens },
  };
}

function chunk(reply: ChatReply, delta: Record<string, unknown>, finishReason: string | null) {
  return {
    id: reply.id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

const finishReason = (reply: ChatReply) => (reply.toolCall ? "tool_calls" : "stop");

// A message's tool_calls; stream deltas add `index`.
function toolCalls(reply: ChatReply, withArguments: boolean) {
  const call = reply.toolCall!;
  return [
    {
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: withArguments ? JSON.stringify(call.arguments) : "" },
    },
  ];
}

// OpenAI chat completions, also served for Azure, Mistral, Groq and the OpenAI-compatible kinds.
export const openaiFormat: FakeWireFormat = {
  name: "openai",
  models: () => ({
    object: "list",
    data: FAKE_MODELS.map((m) => ({
      id: m.id,
      object: "model",
      created: 1_700_000_000,
      owned_by: "fake",
      context_length: m.contextWindow,
    })),
  }),
  error: (_status, kind, message) => ({
    error: { message, type: ERROR_TYPES[kind].type, param: null, code: ERROR_TYPES[kind].code },
  }),
  completion: (reply) => ({
    id: reply.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [
      {
        index: 0,
        message: reply.toolCall
          ? {
              role: "assistant",
              content: null,
              tool_calls: toolCalls(reply, true),
            }
          : { role: "assistant", content: reply.tokens.join("") },
        finish_reason: finishReason(reply),
      },
    ],
    ...(reply.omitUsage ? {} : { usage: usage(reply) }),
  }),
  streamContentType: "text/event-stream",
  streamStart: (reply) => [
    sse(
      chunk(
        reply,
        reply.toolCall
          ? {
              role: "assistant",
              content: null,
              tool_calls: toolCalls(reply, false).map((call) => ({ index: 0, ...call })),
            }
          : { role: "assistant", content: "" },
        null,
      ),
    ),
  ],
  streamDelta: (reply, text) => [sse(chunk(reply, { content: text }, null))],
  // With stream_options.include_usage, usage comes in a last chunk with no choices (OpenAI);
  // without it, on the finishing chunk, as Mistral does and Groq does under x_groq.
  streamEnd: (reply) => [
    ...(reply.toolCall
      ? [
          sse(
            chunk(
              reply,
              { tool_calls: [{ index: 0, function: { arguments: JSON.stringify(reply.toolCall.arguments) } }] },
              null,
            ),
          ),
        ]
      : []),
    ...(reply.omitUsage
      ? [sse(chunk(reply, {}, finishReason(reply))), "data: [DONE]\n\n"]
      : reply.includeUsage
        ? [
            sse(chunk(reply, {}, finishReason(reply))),
            sse({ ...chunk(reply, {}, null), choices: [], usage: usage(reply) }),
            "data: [DONE]\n\n",
          ]
        : [
            sse({ ...chunk(reply, {}, finishReason(reply)), usage: usage(reply), x_groq: { usage: usage(reply) } }),
            "data: [DONE]\n\n",
          ]),
  ],
  malformedFrame: 'data: {"id": "broken", "choices": [ {"delta": \n\n',
};
