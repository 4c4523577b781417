// OpenAI's message list as Anthropic wants it: system prompts lifted out to `system`, tool results
// sent as user turns, and turns strictly alternating (consecutive same-role turns merged).
import { joinText, parseDataUrl } from "../openai/content";
import { invalidRequest, isRecord, safeJsonParse } from "../openai/errors";
import type { ChatMessage, UserContentPart } from "../openai/request-schema";
import type { Translation } from "../openai/types";
import type { AnthropicMessage, AnthropicRequestBlock, AnthropicTextBlock } from "./types";

export type AnthropicConversation = { system?: AnthropicTextBlock[]; messages: AnthropicMessage[] };

// Anthropic refuses empty text blocks, so empty strings are left out rather than sent.
function textBlocks(text: string): AnthropicTextBlock[] {
  return text ? [{ type: "text", text }] : [];
}

function userBlock(part: UserContentPart): AnthropicRequestBlock[] {
  if (part.type === "text") return textBlocks(part.text);
  const inline = parseDataUrl(part.image_url.url);
  if (inline) return [{ type: "image", source: { type: "base64", media_type: inline.mediaType, data: inline.data } }];
  return [{ type: "image", source: { type: "url", url: part.image_url.url } }];
}

function assistantBlocks(
  message: Extract<ChatMessage, { role: "assistant" }>,
  index: number,
): Translation<AnthropicRequestBlock[]> {
  const blocks: AnthropicRequestBlock[] = textBlocks(joinText(message.content));
  for (const [callIndex, call] of (message.tool_calls ?? []).entries()) {
    const args =
      call.function.arguments.trim() === "" ? { ok: true as const, value: {} } : safeJsonParse(call.function.arguments);
    if (!args.ok || !isRecord(args.value)) {
      const param = `messages[${index}].tool_calls[${callIndex}].function.arguments`;
      return { ok: false, error: invalidRequest(`${param} must be a JSON object`, param) };
    }
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: args.value });
  }
  return { ok: true, value: blocks };
}

// Anthropic wants tool results first in a user turn; a tool message merged after user text would
// otherwise be refused, so results move to the front and everything else keeps its order.
function toolResultsFirst(blocks: AnthropicRequestBlock[]): AnthropicRequestBlock[] {
  return [
    ...blocks.filter((block) => block.type === "tool_result"),
    ...blocks.filter((block) => block.type !== "tool_result"),
  ];
}

function appendTurn(
  messages: AnthropicMessage[],
  role: AnthropicMessage["role"],
  blocks: AnthropicRequestBlock[],
): void {
  if (blocks.length === 0) return;
  const last = messages.at(-1);
  if (last && last.role === role)
    last.content = role === "user" ? toolResultsFirst([...last.content, ...blocks]) : [...last.content, ...blocks];
  else messages.push({ role, content: role === "user" ? toolResultsFirst(blocks) : blocks });
}

export function toAnthropicConversation(input: readonly ChatMessage[]): Translation<AnthropicConversation> {
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  for (const [index, message] of input.entries()) {
    switch (message.role) {
      case "system":
      case "developer":
        system.push(...textBlocks(joinText(message.content)));
        break;
      case "user":
        appendTurn(
          messages,
          "user",
          typeof message.content === "string" ? textBlocks(message.content) : message.content.flatMap(userBlock),
        );
        break;
      case "assistant": {
        const blocks = assistantBlocks(message, index);
        if (!blocks.ok) return blocks;
        appendTurn(messages, "assistant", blocks.value);
        break;
      }
      case "tool":
        appendTurn(messages, "user", [
          { type: "tool_result", tool_use_id: message.tool_call_id, content: joinText(message.content) },
        ]);
        break;
    }
  }
  if (messages.length === 0) {
    return {
      ok: false,
      error: invalidRequest("messages must contain at least one non-empty user or assistant message", "messages"),
    };
  }
  return { ok: true, value: system.length ? { system, messages } : { messages } };
}
