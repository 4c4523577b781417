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
        [
          "content",
          "text",
          "parts",
          "messages",
          "contents",
          "system",
          "systemInstruction",
          "prompt",
          // Embeddings: OpenAI's input, Gemini's batch requests.
          "input",
          "requests",
        ].includes(field)
      ) {
        collectText(inner, out, depth + 1);
      }
    }
  }
  return out;
}

export type FakeToolCall = { id: string; name: string; arguments: Record<string, unknown> };

export type ChatReply = {
  id: string;
  model: string;
  tokens: string[];
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  includeUsage: boolean;
  // The `no-usage` behaviour: OpenAI-format answers and streams leave usage out.
  omitUsage?: boolean;
  // Set when the caller offered tools: the answer is this one call instead of text.
  toolCall?: FakeToolCall;
};

/** The arguments of every tool call the fake makes. */
export const FAKE_TOOL_ARGUMENTS = { query: "fake" };

const REPLY = "Hello from the fake provider. Everything is working as expected today.";

/**
 * The reply a prompt asks for with `[[fake-reply:TEXT]]` (the last such marker wins), so a test
 * can make some answers right and others wrong (evaluations); the fixed sentence otherwise.
 */
export function requestedReply(prompt: string): string | null {
  const markers = [...prompt.matchAll(/\[\[fake-reply:([^\]]*)\]\]/g)];
  return markers.length > 0 ? markers.at(-1)![1]! : null;
}

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
  options: { omitUsage?: boolean; toolName?: string; json?: boolean } = {},
): ChatReply {
  const id = `fake-${Math.random().toString(36).slice(2, 10)}`;
  const base = { id, model, inputTokens: estimateTokens(prompt), cachedInputTokens: 0, includeUsage };
  const extra = options.omitUsage ? { omitUsage: true } : {};
  if (options.toolName) {
    // A tool call's output tokens: ceil(arguments JSON characters / 4).
    const toolCall = { id: `call_${id.slice(5)}`, name: options.toolName, arguments: FAKE_TOOL_ARGUMENTS };
    return {
      ...base,
      ...extra,
      tokens: [],
      outputTokens: estimateTokens(JSON.stringify(toolCall.arguments)),
      toolCall,
    };
  }
  const words = (requestedReply(prompt) ?? REPLY).split(" ").map((word, index) => (index === 0 ? word : ` ${word}`));
  if (options.json) {
    // JSON mode: the same words as {"answer":"…"}, still one token per word.
    words[0] = `{"answer":"${words[0]}`;
    words[words.length - 1] = `${words.at(-1)}"}`;
  }
  const tokens = maxTokens && maxTokens > 0 ? words.slice(0, maxTokens) : words;
  return { ...base, ...extra, tokens, outputTokens: tokens.length };
}

/** JSON mode asked for: OpenAI response_format json_object/json_schema, Gemini's responseMimeType, Ollama's format. */
export function wantsJson(body: Json): boolean {
  const format = body.response_format;
  const config = isJson(body.generationConfig) ? body.generationConfig : {};
  return (
    (isJson(format) && (format.type === "json_object" || format.type === "json_schema")) ||
    config.responseMimeType === "application/json" ||
    body.format === "json" ||
    isJson(body.format)
  );
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

// Tool names offered in any format: OpenAI/Ollama `tools[].function.name`, Anthropic
// `tools[].name`, Gemini `tools[].functionDeclarations[].name`.
function toolNames(body: Json): string[] {
  const names: string[] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isJson(tool)) continue;
    if (isJson(tool.function) && typeof tool.function.name === "string") names.push(tool.function.name);
    else if (typeof tool.name === "string") names.push(tool.name);
    else if (Array.isArray(tool.functionDeclarations))
      for (const declaration of tool.functionDeclarations)
        if (isJson(declaration) && typeof declaration.name === "string") names.push(declaration.name);
  }
  return names;
}

// Whether the conversation ends with a tool's result (OpenAI role "tool", an Anthropic
// tool_result block, a Gemini functionResponse part): then the fake answers in text.
function endsWithToolResult(body: Json): boolean {
  const list = Array.isArray(body.messages) ? body.messages : Array.isArray(body.contents) ? body.contents : [];
  const last: unknown = list.at(-1);
  if (!isJson(last)) return false;
  if (last.role === "tool") return true;
  const parts: unknown[] = Array.isArray(last.content) ? last.content : Array.isArray(last.parts) ? last.parts : [];
  return parts.some((part) => isJson(part) && (part.type === "tool_result" || isJson(part.functionResponse)));
}

/**
 * The tool the fake calls: when tools are offered and the last message is not a tool result, the
 * one tool_choice names, else the first; none when tool_choice says "none".
 */
export function toolToCall(body: Json): string | undefined {
  const names = toolNames(body);
  if (names.length === 0 || endsWithToolResult(body)) return undefined;
  const choice = body.tool_choice;
  const mode =
    isJson(body.toolConfig) && isJson(body.toolConfig.functionCallingConfig)
      ? body.toolConfig.functionCallingConfig.mode
      : undefined;
  if (choice === "none" || (isJson(choice) && choice.type === "none") || mode === "NONE") return undefined;
  if (isJson(choice)) {
    const named = isJson(choice.function) ? choice.function.name : choice.name;
    if (typeof named === "string" && names.includes(named)) return named;
  }
  return names[0];
}

// Deterministic embeddings: each component is a multiple of 1/1024 (exact in float32, so base64
// answers decode to the same numbers), derived from the text.
export function fakeEmbedding(text: string, dimensions = 8): number[] {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return Array.from({ length: dimensions }, (_, i) => ((((hash >>> (i % 24)) + i * 7919) % 2001) - 1000) / 1024);
}

export function float32Base64(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString("base64");
}

export function numberField(body: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === "number") return value;
  }
  return undefined;
}
