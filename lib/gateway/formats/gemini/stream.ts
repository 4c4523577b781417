// Gemini's streamGenerateContent?alt=sse events (each a partial GenerateContentResponse) -> OpenAI
// chunks. Gemini sends no end event: the stream ends when the body does, so end() writes the usage
// chunk and the [DONE] marker, or reports a stream that closed before any candidate finished.
import { ChunkWriter, type StreamTranslator } from "../openai/chunks";
import { isRecord, malformedUpstream, safeJsonParse } from "../openai/errors";
import type { ChatUsage, GatewayError, ResponseContext, StreamOutput } from "../openai/types";
import type { SseEvent } from "../sse";
import { GEMINI } from "./config";
import {
  answerText,
  candidatesOf,
  defaultToolCallId,
  finishReason,
  fromGeminiError,
  geminiUsage,
  indexOf,
  partsOf,
  toolCallOf,
} from "./response";
import type { GeminiCandidate, GeminiResponse } from "./types";

type ChoiceState = { started: boolean; toolCount: number; finished: boolean };

class GeminiStreamTranslator implements StreamTranslator<SseEvent> {
  private readonly out: ChunkWriter;
  private readonly choices = new Map<number, ChoiceState>();
  private readonly newId: () => string;
  private reported: ChatUsage | null = null;
  private closed = false;
  private blocked = false;

  constructor(private readonly response: ResponseContext) {
    this.out = new ChunkWriter(response);
    this.newId = response.newToolCallId ?? defaultToolCallId;
  }

  get usage(): ChatUsage | null {
    return this.reported;
  }

  push(event: SseEvent): StreamOutput[] {
    if (this.closed) return [];
    const parsed = safeJsonParse(event.data);
    if (!parsed.ok) return this.fail(malformedUpstream(GEMINI, "stream event is not JSON"));
    const data = Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
    if (!isRecord(data)) return this.fail(malformedUpstream(GEMINI, "stream event is not an object"));
    if (isRecord(data.error)) return this.fail(fromGeminiError(500, data));
    const body: GeminiResponse = data;
    if (!this.out.id) this.out.id = typeof body.responseId === "string" ? body.responseId : `chatcmpl-${this.newId()}`;
    if (isRecord(body.usageMetadata)) this.reported = geminiUsage(body.usageMetadata);
    const outputs = candidatesOf(body).flatMap((candidate, position) => this.candidate(candidate, position));
    if (isRecord(body.promptFeedback) && body.promptFeedback.blockReason && candidatesOf(body).length === 0) {
      this.blocked = true;
      outputs.push(this.out.delta(0, { role: "assistant" }, "content_filter"));
    }
    return outputs;
  }

  end(): StreamOutput[] {
    if (this.closed) return [];
    const finished =
      this.blocked || (this.choices.size > 0 && [...this.choices.values()].every((choice) => choice.finished));
    if (!finished) return this.fail(malformedUpstream(GEMINI, "stream ended before a finishReason"));
    this.closed = true;
    return [...(this.response.includeUsage && this.reported ? [this.out.usage(this.reported)] : []), { type: "done" }];
  }

  private fail(error: GatewayError): StreamOutput[] {
    this.closed = true;
    return [{ type: "error", error }];
  }

  private candidate(candidate: GeminiCandidate, position: number): StreamOutput[] {
    const index = indexOf(candidate, position);
    const state = this.choices.get(index) ?? { started: false, toolCount: 0, finished: false };
    this.choices.set(index, state);
    const outputs: StreamOutput[] = [];
    if (!state.started) {
      state.started = true;
      outputs.push(this.out.delta(index, { role: "assistant", content: "" }));
    }
    for (const part of partsOf(candidate)) {
      const text = answerText(part);
      if (text) outputs.push(this.out.delta(index, { content: text }));
      const call = toolCallOf(part, this.newId);
      if (!call) continue;
      // Gemini sends each call whole, so its first and only piece carries id, name and arguments.
      const toolIndex = state.toolCount++;
      outputs.push(
        this.out.delta(index, {
          tool_calls: [{ index: toolIndex, id: call.id, type: "function", function: call.function }],
        }),
      );
    }
    const reason = finishReason(
      typeof candidate.finishReason === "string" ? candidate.finishReason : undefined,
      state.toolCount > 0,
    );
    if (reason && !state.finished) {
      state.finished = true;
      outputs.push(this.out.delta(index, {}, reason));
    }
    return outputs;
  }
}

export function createGeminiStreamTranslator(response: ResponseContext): StreamTranslator<SseEvent> {
  return new GeminiStreamTranslator(response);
}
