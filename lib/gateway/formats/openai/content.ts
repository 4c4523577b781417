// Reading OpenAI message content the same way for every provider translation.
import type { TextPart } from "./request-schema";

// Text-only content (system, tool, assistant) as one string; parts join without a separator, as
// OpenAI concatenates them.
export function joinText(
  content: string | readonly TextPart[] | readonly { type: string }[] | null | undefined,
): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  let out = "";
  for (const part of content) if ("text" in part && typeof part.text === "string") out += part.text;
  return out;
}

export type DataUrl = { mediaType: string; data: string };

// `data:image/png;base64,....`: providers want the media type and the base64 payload apart.
export function parseDataUrl(url: string): DataUrl | null {
  const match = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+);base64,(.*)$/is.exec(url);
  if (!match?.[1] || match[2] === undefined) return null;
  return { mediaType: match[1].toLowerCase(), data: match[2] };
}
