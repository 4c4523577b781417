import type { CallMessage } from "@/lib/calls/run-completion";
import { providerKind } from "@/lib/providers/catalog";

// A test call must cost next to nothing: a few prompt tokens and a hard cap on the answer. The
// prompt asks for one word so even a model that ignores the cap stops almost at once.

/** Upper bound on answer tokens for every test and health-check call. */
export const TEST_MAX_OUTPUT_TOKENS = 16;

const DEFAULT_PROMPT = "Reply with the single word: pong";

/** The registry's prompt for the kind (small local models need a firmer one), or the default. */
export function testPromptFor(kind: string): string {
  const spec: { testPrompt?: string } = providerKind(kind);
  return spec.testPrompt ?? DEFAULT_PROMPT;
}

/** Usage tags, so spend reports can tell test traffic apart. */
export const TEST_USAGE_TAG = { test: "test", healthCheck: "health-check", playground: "playground" } as const;
export type TestUsageTag = (typeof TEST_USAGE_TAG)[keyof typeof TEST_USAGE_TAG];

/** The tiny test prompt as the call engine's messages. */
export function testMessagesFor(kind: string): CallMessage[] {
  return [{ role: "user", content: testPromptFor(kind) }];
}

/** The console's own calls are TEST usage, told apart by their tag. */
export const testUsage = (tag: TestUsageTag) => ({ source: "TEST", tag }) as const;
