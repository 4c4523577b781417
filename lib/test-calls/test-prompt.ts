import { providerKind } from "@/lib/providers/catalog";

// A test call must cost next to nothing: a few prompt tokens and a hard cap on the answer. The
// prompt asks for one word so even a model that ignores the cap stops almost at once.

/** Upper bound on answer tokens for every test and health-check call. */
export const TEST_MAX_OUTPUT_TOKENS = 16;

const DEFAULT_PROMPT = "Reply with the single word: pong";

// Per wire format: Anthropic and Gemini follow the plain instruction; small local Ollama models
// tend to ramble unless told the answer is a health check.
const PROMPT_BY_WIRE_FORMAT: Record<string, string> = {
  openai: DEFAULT_PROMPT,
  anthropic: DEFAULT_PROMPT,
  gemini: DEFAULT_PROMPT,
  ollama: "This is a health check. Reply with the single word: pong",
};

export function testPromptFor(kind: string): string {
  return PROMPT_BY_WIRE_FORMAT[providerKind(kind).wireFormat] ?? DEFAULT_PROMPT;
}

/** Usage tags, so spend reports can tell test traffic apart. */
export const TEST_USAGE_TAG = { test: "test", healthCheck: "health-check", playground: "playground" } as const;
export type TestUsageTag = (typeof TEST_USAGE_TAG)[keyof typeof TEST_USAGE_TAG];
