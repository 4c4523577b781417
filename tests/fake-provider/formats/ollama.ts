import type { ChatReply } from "../http-utils";
import { FAKE_MODELS, type FakeWireFormat } from "./types";

const line = (data: unknown) => `${JSON.stringify(data)}\n`;

function message(reply: ChatReply, content: string, done: boolean) {
  const calls =
    reply.toolCall && done
      ? { tool_calls: [{ function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }] }
      : {};
  return {
    model: reply.model,
    created_at: new Date().toISOString(),
    message: { role: "assistant", content, ...calls },
    done,
  };
}

function finalCounts(reply: ChatReply) {
  return {
    done_reason: "stop",
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: reply.inputTokens,
    prompt_eval_duration: 200_000,
    eval_count: reply.outputTokens,
    eval_duration: 700_000,
  };
}

// Ollama's native /api/chat (NDJSON stream) and /api/tags. Ollama has no key and answers
// errors as `{ "error": "..." }`.
export const ollamaFormat: FakeWireFormat = {
  name: "ollama",
  models: () => ({
    models: FAKE_MODELS.map((m) => ({
      name: `${m.id}:latest`,
      model: `${m.id}:latest`,
      modified_at: "2025-01-01T00:00:00Z",
      size: 1_000_000,
      digest: "0".repeat(64),
      details: { format: "gguf", family: "fake", parameter_size: "1B", quantization_level: "Q4_0" },
    })),
  }),
  error: (_status, _kind, text) => ({ error: text }),
  completion: (reply) => ({ ...message(reply, reply.tokens.join(""), true), ...finalCounts(reply) }),
  streamContentType: "application/x-ndjson",
  streamStart: () => [],
  streamDelta: (reply, text) => [line(message(reply, text, false))],
  streamEnd: (reply) => [line({ ...message(reply, "", true), ...finalCounts(reply) })],
  malformedFrame: '{"model": "broken", "message": {"content": \n',
};
