// Building OpenAI stream chunks for translated streams, shared by every provider's translator.
import type { ChatChunk, ChatUsage, ChunkDelta, FinishReason, ResponseContext, StreamOutput } from "./types";

export type StreamTranslator<E> = {
  // One parsed upstream event in, the OpenAI chunks (or the error, or the end) it turns into out.
  push(event: E): StreamOutput[];
  // The upstream closed: flush what is pending, or report a stream cut short.
  end(): StreamOutput[];
  // Tokens so far, as the provider reported them; what a cancelled request is recorded with.
  readonly usage: ChatUsage | null;
};

export class ChunkWriter {
  id = "";

  constructor(private readonly context: ResponseContext) {}

  delta(index: number, delta: ChunkDelta, finishReason: FinishReason | null = null): StreamOutput {
    return this.wrap([{ index, delta, finish_reason: finishReason, logprobs: null }]);
  }

  // The include_usage chunk: no choices, only usage, as OpenAI sends it last.
  usage(usage: ChatUsage): StreamOutput {
    return { type: "chunk", chunk: { ...this.base(), choices: [], usage } };
  }

  private wrap(choices: ChatChunk["choices"]): StreamOutput {
    const chunk: ChatChunk = { ...this.base(), choices };
    // OpenAI marks every chunk before the usage one with `usage: null` when usage was asked for.
    if (this.context.includeUsage) chunk.usage = null;
    return { type: "chunk", chunk };
  }

  private base(): Pick<ChatChunk, "id" | "object" | "created" | "model"> {
    return { id: this.id, object: "chat.completion.chunk", created: this.context.created, model: this.context.model };
  }
}
