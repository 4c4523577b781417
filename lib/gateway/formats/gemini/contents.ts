// OpenAI's message list as Gemini `contents`: roles user/model, system prompts lifted into
// systemInstruction, tool calls as functionCall parts and tool results as functionResponse parts.
import { joinText, parseDataUrl } from "../openai/content";
import { invalidRequest, isRecord, lookup, safeJsonParse } from "../openai/errors";
import type { ChatMessage, UserContentPart } from "../openai/request-schema";
import type { Translation } from "../openai/types";
import { IMAGE_TYPES } from "./config";
import { signatureOf, SKIP_SIGNATURE_CHECK } from "./thought-signature";
import type { GeminiContent, GeminiPart, GeminiRequest } from "./types";

export type GeminiConversation = Pick<GeminiRequest, "contents" | "systemInstruction">;

// Gemini refuses empty parts, so empty strings are left out rather than sent.
function textParts(text: string): GeminiPart[] {
  return text ? [{ text }] : [];
}

function imageType(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? "";
  return lookup(IMAGE_TYPES, extension) ?? "image/jpeg";
}

function userPart(part: UserContentPart): GeminiPart[] {
  if (part.type === "text") return textParts(part.text);
  const inline = parseDataUrl(part.image_url.url);
  if (inline) return [{ inlineData: { mimeType: inline.mediaType, data: inline.data } }];
  return [{ fileData: { mimeType: imageType(part.image_url.url), fileUri: part.image_url.url } }];
}

// functionResponse.response must be an object: a tool's JSON object answer is sent as is, anything
// else (plain text, a JSON array) is wrapped.
function toolResponse(content: string): Record<string, unknown> {
  const parsed = safeJsonParse(content);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : { content };
}

function append(contents: GeminiContent[], role: GeminiContent["role"], parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last && last.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

export function toGeminiConversation(input: readonly ChatMessage[]): Translation<GeminiConversation> {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  // Gemini answers a call by function name, OpenAI by call id: remember which id named which function.
  const callNames = new Map<string, string>();
  for (const [index, message] of input.entries()) {
    switch (message.role) {
      case "system":
      case "developer": {
        const text = joinText(message.content);
        if (text) system.push({ text });
        break;
      }
      case "user":
        append(
          contents,
          "user",
          typeof message.content === "string" ? textParts(message.content) : message.content.flatMap(userPart),
        );
        break;
      case "assistant": {
        const parts = textParts(joinText(message.content));
        for (const [callIndex, call] of (message.tool_calls ?? []).entries()) {
          const args =
            call.function.arguments.trim() === ""
              ? { ok: true as const, value: {} }
              : safeJsonParse(call.function.arguments);
          if (!args.ok || !isRecord(args.value)) {
            const param = `messages[${index}].tool_calls[${callIndex}].function.arguments`;
            return { ok: false, error: invalidRequest(`${param} must be a JSON object`, param) };
          }
          callNames.set(call.id, call.function.name);
          // Only the first call of a turn carries a signature; parallel calls after it have none.
          const signature = signatureOf(call.id) ?? (callIndex === 0 ? SKIP_SIGNATURE_CHECK : undefined);
          parts.push({
            functionCall: { name: call.function.name, args: args.value },
            ...(signature ? { thoughtSignature: signature } : {}),
          });
        }
        append(contents, "model", parts);
        break;
      }
      case "tool": {
        const name = callNames.get(message.tool_call_id);
        if (!name) {
          const param = `messages[${index}].tool_call_id`;
          return {
            ok: false,
            error: invalidRequest(`${param} does not match a tool call in an earlier assistant message`, param),
          };
        }
        append(contents, "user", [{ functionResponse: { name, response: toolResponse(joinText(message.content)) } }]);
        break;
      }
    }
  }
  if (contents.length === 0) {
    return {
      ok: false,
      error: invalidRequest("messages must contain at least one non-empty user or assistant message", "messages"),
    };
  }
  return { ok: true, value: system.length ? { systemInstruction: { parts: system }, contents } : { contents } };
}
