import { createHash } from "node:crypto";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { splitLines, DEFAULT_MAX_LINE_BYTES } from "@/lib/fine-tuning/line-splitter";

// Validation of a fine-tuning file before anything is sent to a provider (docs/fine-tuning.md):
// JSONL in OpenAI's chat format, one example per line, each a `messages` array of messages with
// valid roles and non-empty content, at least one from the assistant. It reads the file as a
// stream, line by line, counting bytes, lines and tokens and hashing it (SHA-256) on the way, and
// keeps only the first errors (each with its line number) and how many more there were.

export const VALID_ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;
export const MAX_LISTED_ERRORS = 50;
/** OpenAI refuses training files with fewer examples. */
export const MIN_EXAMPLES = 10;

export type LineError = { line: number; message: string };

export type ValidationReport = {
  bytes: number;
  /** Lines read (blank ones included), and the examples among them. */
  lines: number;
  examples: number;
  /** Tokens of every example, as the o200k tokenizer counts them (an estimate of what is billed). */
  tokens: number;
  sha256: string;
  /** The first MAX_LISTED_ERRORS line errors, in line order, and how many more were found. */
  errors: LineError[];
  moreErrors: number;
  /** Errors about the file as a whole (too few examples, too large, empty). */
  fileErrors: string[];
  ok: boolean;
};

type Message = Record<string, unknown>;

const ROLE_SET = new Set<string>(VALID_ROLES);
// What OpenAI's chat format adds around each message and each conversation, in tokens.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_EXAMPLE = 3;

function contentText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts = content.map((part) =>
      part && typeof part === "object" && typeof (part as Message).text === "string"
        ? ((part as Message).text as string)
        : "",
    );
    return texts.join("");
  }
  return null;
}

/** The problem with one line, or its token count. Exported for unit tests. */
export function checkLine(text: string): { error: string } | { tokens: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: "is not valid JSON." };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { error: "is not a JSON object." };
  const messages = (parsed as Message).messages;
  if (!Array.isArray(messages)) return { error: 'has no "messages" array.' };
  if (messages.length === 0) return { error: 'has an empty "messages" array.' };
  let tokens = TOKENS_PER_EXAMPLE;
  let assistant = false;
  for (const [index, message] of messages.entries()) {
    const where = `message ${index + 1}`;
    if (!message || typeof message !== "object" || Array.isArray(message))
      return { error: `${where} is not an object.` };
    const { role, content } = message as Message;
    if (typeof role !== "string" || !ROLE_SET.has(role))
      return {
        error: `${where} has role ${JSON.stringify(role ?? null).slice(0, 40)}; use one of ${VALID_ROLES.join(", ")}.`,
      };
    const hasToolCalls =
      Array.isArray((message as Message).tool_calls) && ((message as Message).tool_calls as unknown[]).length > 0;
    const text = contentText(content);
    if (text === null && !(role === "assistant" && hasToolCalls && (content === null || content === undefined)))
      return { error: `${where} (${role}) has no content.` };
    if (text !== null && text.trim() === "" && !(role === "assistant" && hasToolCalls))
      return { error: `${where} (${role}) has empty content.` };
    const weight = (message as Message).weight;
    if (weight !== undefined && weight !== 0 && weight !== 1)
      return { error: `${where} has weight ${String(weight)}; use 0 or 1.` };
    if (role === "assistant") assistant = true;
    tokens += TOKENS_PER_MESSAGE + countTokens(role) + (text ? countTokens(text) : 0);
    if (hasToolCalls) tokens += countTokens(JSON.stringify((message as Message).tool_calls));
  }
  if (!assistant) return { error: "has no assistant message (the answer to learn)." };
  return { tokens };
}

export type ValidateOptions = {
  maxErrors?: number;
  minExamples?: number;
  /** Stop reading after this many bytes: the file is reported too large. */
  maxBytes?: number;
  maxLineBytes?: number;
};

/** Reads the whole stream once; memory stays bounded by one line whatever the file's size. */
export async function validateTrainingStream(
  source: AsyncIterable<Uint8Array>,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const maxErrors = options.maxErrors ?? MAX_LISTED_ERRORS;
  const minExamples = options.minExamples ?? MIN_EXAMPLES;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const hash = createHash("sha256");
  let bytes = 0;
  let tooLarge = false;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (options.maxBytes !== undefined && bytes > options.maxBytes) {
        tooLarge = true;
        return;
      }
      hash.update(chunk);
      yield chunk;
    }
  }

  const errors: LineError[] = [];
  let moreErrors = 0;
  let lines = 0;
  let examples = 0;
  let tokens = 0;
  const addError = (line: number, message: string) => {
    if (errors.length < maxErrors) errors.push({ line, message: `Line ${line} ${message}` });
    else moreErrors += 1;
  };
  for await (const line of splitLines(counted(), { maxLineBytes })) {
    lines = line.lineNumber;
    if (line.tooLong) {
      addError(line.lineNumber, `is longer than ${Math.floor(maxLineBytes / (1024 * 1024))} MB.`);
      continue;
    }
    if (line.text.trim() === "") {
      addError(line.lineNumber, "is empty.");
      continue;
    }
    const checked = checkLine(line.text);
    if ("error" in checked) addError(line.lineNumber, checked.error);
    else {
      examples += 1;
      tokens += checked.tokens;
    }
  }

  const fileErrors: string[] = [];
  if (tooLarge) fileErrors.push(`The file is larger than ${Math.floor((options.maxBytes ?? 0) / (1024 * 1024))} MB.`);
  else if (lines === 0) fileErrors.push("The file is empty.");
  else if (errors.length === 0 && examples < minExamples)
    fileErrors.push(
      `The file has ${examples} example${examples === 1 ? "" : "s"}; at least ${minExamples} are needed.`,
    );
  return {
    bytes,
    lines,
    examples,
    tokens,
    sha256: hash.digest("hex"),
    errors,
    moreErrors,
    fileErrors,
    ok: errors.length === 0 && fileErrors.length === 0,
  };
}

/** A web ReadableStream as the async iterable the validator reads. */
export async function* iterateStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
