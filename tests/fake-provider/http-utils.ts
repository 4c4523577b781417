import type { IncomingMessage, ServerResponse } from "node:http";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

// Collects every text the caller sent (messages, system prompts, Gemini parts) so markers in any
// of them are seen.
export function collectText(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectText(item, out, depth + 1);
  else if (value && typeof value === "object") {
    for (const [field, inner] of Object.entries(value)) {
      if (
        ["content", "text", "parts", "messages", "contents", "system", "systemInstruction", "prompt"].includes(field)
      ) {
        collectText(inner, out, depth + 1);
      }
    }
  }
  return out;
}

export type ChatReply = {
  id: string;
  model: string;
  tokens: string[];
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  includeUsage: boolean;
};

const REPLY = "Hello from the fake provider. Everything is working as expected today.";

// Roughly four characters per token, like real tokenizers on English text; deterministic so
// tests can assert the counts.
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function buildReply(
  model: string,
  prompt: string,
  maxTokens: number | undefined,
  includeUsage: boolean,
): ChatReply {
  const words = REPLY.split(" ").map((word, index) => (index === 0 ? word : ` ${word}`));
  const tokens = maxTokens && maxTokens > 0 ? words.slice(0, maxTokens) : words;
  return {
    id: `fake-${Math.random().toString(36).slice(2, 10)}`,
    model,
    tokens,
    inputTokens: estimateTokens(prompt),
    outputTokens: tokens.length,
    cachedInputTokens: 0,
    includeUsage,
  };
}

export function numberField(body: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === "number") return value;
  }
  return undefined;
}
