import type { ProviderKindId } from "@/lib/providers/catalog";

// A curated starting point an admin can import when registering a provider. Prices are the
// providers' public list prices in USD per 1M tokens on `checkedOn` (standard tier, no batch or
// regional discounts, the lowest context tier where prices are tiered). They go stale: the import
// dates them so the price history shows where they came from, and admins add newer rows.

export const DEFAULT_MODELS_CHECKED_ON = "2026-11-26";

export type DefaultModelType = "GENERAL" | "DOMAIN" | "FINE_TUNED" | "EMBEDDING";

export type DefaultModel = {
  modelId: string;
  displayName: string;
  type: DefaultModelType;
  domain?: string;
  contextWindow: number;
  /** Decimal strings: money never passes through a float. */
  price: { input: string; output: string; cachedInput?: string };
};

const m = (
  modelId: string,
  displayName: string,
  contextWindow: number,
  input: string,
  output: string,
  cachedInput?: string,
  type: DefaultModelType = "GENERAL",
): DefaultModel => ({
  modelId,
  displayName,
  type,
  contextWindow,
  price: cachedInput === undefined ? { input, output } : { input, output, cachedInput },
});

const embedding = (modelId: string, displayName: string, contextWindow: number, input: string): DefaultModel =>
  m(modelId, displayName, contextWindow, input, "0", undefined, "EMBEDDING");

const OPENAI: DefaultModel[] = [
  m("gpt-5", "GPT-5", 400_000, "1.25", "10", "0.125"),
  m("gpt-5-mini", "GPT-5 mini", 400_000, "0.25", "2", "0.025"),
  m("gpt-5-nano", "GPT-5 nano", 400_000, "0.05", "0.4", "0.005"),
  m("gpt-4.1", "GPT-4.1", 1_047_576, "2", "8", "0.5"),
  m("gpt-4.1-mini", "GPT-4.1 mini", 1_047_576, "0.4", "1.6", "0.1"),
  m("gpt-4o", "GPT-4o", 128_000, "2.5", "10", "1.25"),
  m("gpt-4o-mini", "GPT-4o mini", 128_000, "0.15", "0.6", "0.075"),
  m("o4-mini", "o4-mini", 200_000, "1.1", "4.4", "0.275"),
  embedding("text-embedding-3-small", "Text embedding 3 small", 8_191, "0.02"),
  embedding("text-embedding-3-large", "Text embedding 3 large", 8_191, "0.13"),
];

export const DEFAULT_MODELS: Record<ProviderKindId, DefaultModel[]> = {
  openai: OPENAI,
  anthropic: [
    // Cached input is the prompt-cache read price; cache writes cost more and are not modelled.
    m("claude-opus-4-1", "Claude Opus 4.1", 200_000, "15", "75", "1.5"),
    m("claude-sonnet-4-5", "Claude Sonnet 4.5", 200_000, "3", "15", "0.3"),
    m("claude-haiku-4-5", "Claude Haiku 4.5", 200_000, "1", "5", "0.1"),
    m("claude-3-5-haiku-latest", "Claude Haiku 3.5", 200_000, "0.8", "4", "0.08"),
  ],
  google: [
    m("gemini-2.5-pro", "Gemini 2.5 Pro", 1_048_576, "1.25", "10", "0.125"),
    m("gemini-2.5-flash", "Gemini 2.5 Flash", 1_048_576, "0.3", "2.5", "0.03"),
    m("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", 1_048_576, "0.1", "0.4", "0.01"),
    embedding("gemini-embedding-001", "Gemini embedding", 2_048, "0.15"),
  ],
  // Azure model ids are deployment names; these assume deployments named after the model
  // (Global Standard prices, which match OpenAI's list prices).
  azure: [
    m("gpt-4.1", "GPT-4.1", 1_047_576, "2", "8", "0.5"),
    m("gpt-4.1-mini", "GPT-4.1 mini", 1_047_576, "0.4", "1.6", "0.1"),
    m("gpt-4o", "GPT-4o", 128_000, "2.5", "10", "1.25"),
    m("gpt-4o-mini", "GPT-4o mini", 128_000, "0.15", "0.6", "0.075"),
    embedding("text-embedding-3-small", "Text embedding 3 small", 8_191, "0.02"),
  ],
  mistral: [
    m("mistral-large-latest", "Mistral Large", 128_000, "2", "6"),
    m("mistral-medium-latest", "Mistral Medium", 128_000, "0.4", "2"),
    m("mistral-small-latest", "Mistral Small", 128_000, "0.1", "0.3"),
    { ...m("codestral-latest", "Codestral", 256_000, "0.3", "0.9"), type: "DOMAIN", domain: "Code" },
    embedding("mistral-embed", "Mistral Embed", 8_192, "0.1"),
  ],
  groq: [
    m("llama-3.3-70b-versatile", "Llama 3.3 70B Versatile", 131_072, "0.59", "0.79"),
    m("llama-3.1-8b-instant", "Llama 3.1 8B Instant", 131_072, "0.05", "0.08"),
    m("openai/gpt-oss-120b", "GPT-OSS 120B", 131_072, "0.15", "0.75"),
    m("openai/gpt-oss-20b", "GPT-OSS 20B", 131_072, "0.1", "0.5"),
  ],
  together: [
    m("meta-llama/Llama-3.3-70B-Instruct-Turbo", "Llama 3.3 70B Instruct Turbo", 131_072, "0.88", "0.88"),
    m("meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "Llama 3.1 8B Instruct Turbo", 131_072, "0.18", "0.18"),
    m("deepseek-ai/DeepSeek-V3", "DeepSeek V3", 131_072, "1.25", "1.25"),
    m("Qwen/Qwen2.5-72B-Instruct-Turbo", "Qwen 2.5 72B Instruct Turbo", 32_768, "1.2", "1.2"),
  ],
  openrouter: [
    m("openai/gpt-4o-mini", "OpenAI: GPT-4o mini", 128_000, "0.15", "0.6", "0.075"),
    m("anthropic/claude-sonnet-4.5", "Anthropic: Claude Sonnet 4.5", 1_000_000, "3", "15", "0.3"),
    m("google/gemini-2.5-flash", "Google: Gemini 2.5 Flash", 1_048_576, "0.3", "2.5", "0.03"),
    m("deepseek/deepseek-chat-v3.1", "DeepSeek: V3.1", 163_840, "0.2", "0.8"),
  ],
  deepseek: [
    // Cached input is DeepSeek's "cache hit" price; input is the cache-miss price.
    m("deepseek-chat", "DeepSeek Chat (V3.2)", 131_072, "0.28", "0.42", "0.028"),
    m("deepseek-reasoner", "DeepSeek Reasoner (V3.2)", 131_072, "0.28", "0.42", "0.028"),
  ],
  xai: [
    m("grok-4", "Grok 4", 256_000, "3", "15", "0.75"),
    m("grok-4-fast-reasoning", "Grok 4 Fast (reasoning)", 2_000_000, "0.2", "0.5", "0.05"),
    m("grok-3-mini", "Grok 3 mini", 131_072, "0.3", "0.5", "0.075"),
  ],
  // Self-hosted: the provider charges nothing per token (your hardware is the cost).
  ollama: [
    m("llama3.2", "Llama 3.2 3B", 131_072, "0", "0"),
    m("qwen2.5", "Qwen 2.5 7B", 32_768, "0", "0"),
    embedding("nomic-embed-text", "Nomic Embed Text", 8_192, "0"),
  ],
  // An arbitrary endpoint: nothing to suggest.
  "openai-compatible": [],
};

export function defaultModelsFor(kind: string): DefaultModel[] {
  return (DEFAULT_MODELS as Record<string, DefaultModel[] | undefined>)[kind] ?? [];
}
