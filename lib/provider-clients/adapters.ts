import "server-only";

import { createAnthropic } from "@ai-sdk/anthropic";
import { createAzure } from "@ai-sdk/azure";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createGroq } from "@ai-sdk/groq";
import { createMistral } from "@ai-sdk/mistral";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";

import { createOllamaModel } from "@/lib/provider-clients/ollama-model";
import { apiRoot } from "@/lib/provider-clients/wire-formats";
import { isProviderKind, type ProviderKindId } from "@/lib/providers/catalog";

export type AdapterSettings = { baseUrl: string; apiKey: string; fetch: typeof fetch };

type ModelFactory = (settings: AdapterSettings, modelId: string) => LanguageModelV3;

// The "SDK factory" column of the provider registry: kind → the AI SDK package that speaks its
// API. Base URLs come from the provider row (normalised per wire format), keys from the vault;
// the SDKs never read environment variables because both are always passed.
// OpenAI and Azure use Chat Completions (`.chat`), not the Responses API, because that is the
// endpoint every OpenAI-compatible server and mock implements.
const compatible =
  (name: string): ModelFactory =>
  ({ baseUrl, apiKey, fetch }, modelId) =>
    createOpenAICompatible({ name, baseURL: apiRoot("openai", baseUrl), apiKey, fetch, includeUsage: true }).chatModel(
      modelId,
    );

// Typed by the registry's kind list: a kind added there without a factory here does not compile.
export const SDK_FACTORIES = {
  openai: ({ baseUrl, apiKey, fetch }, modelId) =>
    createOpenAI({ baseURL: apiRoot("openai", baseUrl), apiKey, fetch }).chat(modelId),
  azure: ({ baseUrl, apiKey, fetch }, modelId) =>
    // ".../openai/v1" is Azure's versionless v1 API: no api-version query, model = deployment name.
    createAzure({ baseURL: `${apiRoot("azure", baseUrl)}/v1`, apiKey, fetch }).chat(modelId),
  anthropic: ({ baseUrl, apiKey, fetch }, modelId) =>
    createAnthropic({ baseURL: apiRoot("anthropic", baseUrl), apiKey, fetch })(modelId),
  google: ({ baseUrl, apiKey, fetch }, modelId) =>
    createGoogleGenerativeAI({ baseURL: apiRoot("gemini", baseUrl), apiKey, fetch })(modelId.replace(/^models\//, "")),
  mistral: ({ baseUrl, apiKey, fetch }, modelId) =>
    createMistral({ baseURL: apiRoot("openai", baseUrl), apiKey, fetch })(modelId),
  groq: ({ baseUrl, apiKey, fetch }, modelId) =>
    createGroq({ baseURL: apiRoot("openai", baseUrl), apiKey, fetch })(modelId),
  together: compatible("together"),
  openrouter: compatible("openrouter"),
  deepseek: compatible("deepseek"),
  xai: compatible("xai"),
  "openai-compatible": compatible("openai-compatible"),
  ollama: ({ baseUrl, apiKey, fetch }, modelId) =>
    createOllamaModel(modelId, {
      root: apiRoot("ollama", baseUrl),
      fetch,
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    }),
} satisfies Record<ProviderKindId, ModelFactory>;

export function createLanguageModel(
  kind: string,
  settings: AdapterSettings,
  modelId: string,
): LanguageModelV3 | undefined {
  return isProviderKind(kind) ? SDK_FACTORIES[kind](settings, modelId) : undefined;
}
