// Anthropic's typed SSE events -> OpenAI chat.completion.chunk objects. Anthropic numbers content
// blocks; OpenAI numbers tool calls only, so the translator keeps which block is which call.
import { ChunkWriter, type StreamTranslator } from "../openai/chunks";
import { isRecord, malformedUpstream, safeJsonParse } from "../openai/errors";
import type { ChatUsage, GatewayError, ResponseContext, StreamOutput } from "../openai/types";
import type { SseEvent } from "../sse";
import { ANTHROPIC } from "./config";
import { anthropicUsage, finishReason, fromAnthropicError } from "./response";
import type { AnthropicRequestContext, AnthropicUsage } from "./types";

type Block = { kind: "text" } | { kind: "json" } | { kind: "tool"; toolIndex: number } | { kind: "skip" };
type Data = Record<string, unknown>;

const USAGE_FIELDS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
] as const;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

class AnthropicStreamTranslator implements StreamTranslator<SseEvent> {
  private readonly out: ChunkWriter;
  private readonly blocks = new Map<number, Block>();
  private toolCount = 0;
  private reported: AnthropicUsage | null = null;
  private state: "open" | "closed" = "open";
  private stopped = false;

  constructor(
    private readonly request: AnthropicRequestContext,
    private readonly response: ResponseContext,
  ) {
    this.out = new ChunkWriter(response);
  }

  get usage(): ChatUsage | null {
    return this.reported ? anthropicUsage(this.reported) : null;
  }

  push(event: SseEvent): StreamOutput[] {
    if (this.state === "closed") return [];
    const parsed = safeJsonParse(event.data);
    if (!parsed.ok || !isRecord(parsed.value))
      return this.fail(malformedUpstream(ANTHROPIC, "stream event is not JSON"));
    const data = parsed.value;
    switch (text(data.type) || event.event) {
      case "message_start":
        return this.start(isRecord(data.message) ? data.message : {});
      case "content_block_start":
        return this.blockStart(
          typeof data.index === "number" ? data.index : -1,
          isRecord(data.content_block) ? data.content_block : {},
        );
      case "content_block_delta":
        return this.blockDelta(
          typeof data.index === "number" ? data.index : -1,
          isRecord(data.delta) ? data.delta : {},
        );
      case "message_delta":
        return this.messageDelta(data);
      case "message_stop":
        this.state = "closed";
        return [...(this.response.includeUsage && this.usage ? [this.out.usage(this.usage)] : []), { type: "done" }];
      case "error":
        return this.fail(fromAnthropicError(500, data));
      default:
        // ping, content_block_stop and event types Anthropic may add later carry nothing to forward.
        return [];
    }
  }

  end(): StreamOutput[] {
    if (this.state === "closed") return [];
    return this.fail(malformedUpstream(ANTHROPIC, "stream ended before message_stop"));
  }

  private fail(error: GatewayError): StreamOutput[] {
    this.state = "closed";
    return [{ type: "error", error }];
  }

  private addUsage(usage: unknown): void {
    if (!isRecord(usage)) return;
    const merged: AnthropicUsage = { ...this.reported };
    for (const field of USAGE_FIELDS) {
      const value = usage[field];
      if (typeof value === "number") merged[field] = value;
    }
    this.reported = merged;
  }

  private start(message: Data): StreamOutput[] {
    this.out.id = text(message.id);
    this.addUsage(message.usage);
    return [this.out.delta(0, { role: "assistant", content: "" })];
  }

  private blockStart(index: number, block: Data): StreamOutput[] {
    if (block.type === "text") {
      this.blocks.set(index, { kind: "text" });
      return text(block.text) ? [this.out.delta(0, { content: text(block.text) })] : [];
    }
    if (block.type !== "tool_use") {
      this.blocks.set(index, { kind: "skip" });
      return [];
    }
    if (block.name === this.request.jsonToolName) {
      this.blocks.set(index, { kind: "json" });
      return [];
    }
    const toolIndex = this.toolCount++;
    this.blocks.set(index, { kind: "tool", toolIndex });
    const call = {
      index: toolIndex,
      id: text(block.id),
      type: "function" as const,
      function: { name: text(block.name), arguments: "" },
    };
    return [this.out.delta(0, { tool_calls: [call] })];
  }

  private blockDelta(index: number, delta: Data): StreamOutput[] {
    const block = this.blocks.get(index);
    if (delta.type === "text_delta" && block?.kind === "text")
      return [this.out.delta(0, { content: text(delta.text) })];
    if (delta.type !== "input_json_delta" || !text(delta.partial_json)) return [];
    if (block?.kind === "json") return [this.out.delta(0, { content: text(delta.partial_json) })];
    if (block?.kind !== "tool") return [];
    return [
      this.out.delta(0, {
        tool_calls: [{ index: block.toolIndex, function: { arguments: text(delta.partial_json) } }],
      }),
    ];
  }

  private messageDelta(data: Data): StreamOutput[] {
    this.addUsage(data.usage);
    const delta = isRecord(data.delta) ? data.delta : {};
    const reason = finishReason(typeof delta.stop_reason === "string" ? delta.stop_reason : null, this.request);
    if (!reason || this.stopped) return [];
    this.stopped = true;
    return [this.out.delta(0, {}, reason)];
  }
}

export function createAnthropicStreamTranslator(
  request: AnthropicRequestContext,
  response: ResponseContext,
): StreamTranslator<SseEvent> {
  return new AnthropicStreamTranslator(request, response);
}
