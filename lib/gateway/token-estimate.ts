import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

// Token counts when a provider reports none (and the prompt estimate a budget reservation needs):
// OpenAI's o200k tokenizer. For other vendors' models it is an estimate, and records counted this
// way are stored with estimated = true, never as 0 tokens.

/** Per-message framing tokens OpenAI's chat format adds (role, separators). */
const PER_MESSAGE = 4;

export function countTextTokens(text: string): number {
  return text ? countTokens(text) : 0;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    let out = "";
    for (const part of content) {
      if (part && typeof part === "object" && "text" in part && typeof part.text === "string") out += part.text;
    }
    return out;
  }
  return "";
}

type MessageLike = { role?: unknown; content?: unknown; tool_calls?: unknown; name?: unknown };

/** Prompt tokens of a chat request: messages' text, tool calls and tool definitions. */
export function estimatePromptTokens(messages: readonly MessageLike[], tools?: unknown, system?: unknown): number {
  let total = 3;
  if (system !== undefined) total += countTextTokens(textOf(system)) + PER_MESSAGE;
  for (const message of messages) {
    total += PER_MESSAGE + countTextTokens(textOf(message.content));
    if (message.tool_calls) total += countTextTokens(JSON.stringify(message.tool_calls));
  }
  if (tools) total += countTextTokens(JSON.stringify(tools));
  return total;
}

/** Embedding input: a string or a list of strings (token arrays count as given). */
export function estimateEmbeddingTokens(input: unknown): number {
  if (typeof input === "string") return countTextTokens(input);
  if (Array.isArray(input)) {
    let total = 0;
    for (const item of input) {
      if (typeof item === "string") total += countTextTokens(item);
      else if (typeof item === "number") total += 1;
      else if (Array.isArray(item)) total += item.length;
    }
    return total;
  }
  return 0;
}
