import type { ChatReply } from "../http-utils";
import { FAKE_MODELS, sse, type FakeErrorKind, type FakeWireFormat } from "./types";

const STATUS_NAMES: Record<FakeErrorKind, string> = {
  auth: "UNAUTHENTICATED",
  rate_limit: "RESOURCE_EXHAUSTED",
  quota: "RESOURCE_EXHAUSTED",
  model_not_found: "NOT_FOUND",
  server: "INTERNAL",
  bad_request: "INVALID_ARGUMENT",
};

function usageMetadata(reply: ChatReply) {
  return {
    promptTokenCount: reply.inputTokens,
    candidatesTokenCount: reply.outputTokens,
    totalTokenCount: reply.inputTokens + reply.outputTokens,
    cachedContentTokenCount: reply.cachedInputTokens,
  };
}

function candidateChunk(reply: ChatReply, text: string, finishReason?: string) {
  const parts =
    reply.toolCall && finishReason
      ? [{ functionCall: { name: reply.toolCall.name, args: reply.toolCall.arguments } }]
      : [{ text }];
  return {
    candidates: [{ content: { parts, role: "model" }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    modelVersion: reply.model,
    responseId: reply.id,
  };
}

// Gemini generateContent / streamGenerateContent?alt=sse.
export const geminiFormat: FakeWireFormat = {
  name: "gemini",
  models: () => ({
    models: FAKE_MODELS.map((m) => ({
      name: `models/${m.id}`,
      displayName: m.displayName,
      inputTokenLimit: m.contextWindow,
      outputTokenLimit: 8192,
      supportedGenerationMethods: ["generateContent", "countTokens"],
    })),
  }),
  // HTTP 503 is UNAVAILABLE in google.rpc's mapping (the overloaded model), 500 INTERNAL.
  error: (status, kind, message) => ({
    error: { code: status, message, status: status === 503 ? "UNAVAILABLE" : STATUS_NAMES[kind] },
  }),
  completion: (reply) => ({
    ...candidateChunk(reply, reply.tokens.join(""), "STOP"),
    usageMetadata: usageMetadata(reply),
  }),
  streamContentType: "text/event-stream",
  streamStart: () => [],
  streamDelta: (reply, text) => [sse(candidateChunk(reply, text))],
  streamEnd: (reply) => [sse({ ...candidateChunk(reply, "", "STOP"), usageMetadata: usageMetadata(reply) })],
  malformedFrame: 'data: {"candidates": [{"content": {"parts": [\n\n',
};
