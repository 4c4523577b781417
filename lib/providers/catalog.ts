// Every difference between provider kinds lives here: pages, forms, schemas and (later) the
// provider clients look a kind up instead of branching on its id.

export type AuthScheme = "bearer" | "x-api-key" | "query-key" | "api-key-header" | "none";
export type WireFormat = "openai" | "anthropic" | "gemini" | "ollama";
export type ParamRange = { min: number; max: number };

export type ProviderKindSpec = {
  id: string;
  label: string;
  /** Empty when the admin must supply one (their Azure resource, their own endpoint). */
  defaultBaseUrl: string;
  authScheme: AuthScheme;
  keyRequired: boolean;
  docsUrl: string;
  pricingUrl: string;
  wireFormat: WireFormat;
  /** Sampling parameter ranges the provider's API accepts, for request settings forms. */
  params: { temperature: ParamRange; topP: ParamRange };
  /** Shown under the base URL field. */
  baseUrlHint: string;
};

const OPENAI_PARAMS = { temperature: { min: 0, max: 2 }, topP: { min: 0, max: 1 } };
const UNIT_PARAMS = { temperature: { min: 0, max: 1 }, topP: { min: 0, max: 1 } };

export const PROVIDER_KINDS = [
  {
    id: "openai", label: "OpenAI", defaultBaseUrl: "https://api.openai.com/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://platform.openai.com/docs/api-reference", pricingUrl: "https://openai.com/api/pricing/", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "The public API; change it only for a proxy.",
  },
  {
    id: "anthropic", label: "Anthropic", defaultBaseUrl: "https://api.anthropic.com/v1", authScheme: "x-api-key", keyRequired: true,
    docsUrl: "https://docs.anthropic.com/en/api/overview", pricingUrl: "https://www.anthropic.com/pricing#api", wireFormat: "anthropic",
    params: UNIT_PARAMS, baseUrlHint: "The public API; change it only for a proxy.",
  },
  {
    id: "google", label: "Google Gemini", defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta", authScheme: "query-key", keyRequired: true,
    docsUrl: "https://ai.google.dev/gemini-api/docs", pricingUrl: "https://ai.google.dev/gemini-api/docs/pricing", wireFormat: "gemini",
    params: OPENAI_PARAMS, baseUrlHint: "The Gemini API (AI Studio keys).",
  },
  {
    id: "azure", label: "Azure OpenAI", defaultBaseUrl: "", authScheme: "api-key-header", keyRequired: true,
    docsUrl: "https://learn.microsoft.com/azure/ai-services/openai/reference",
    pricingUrl: "https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "Your resource, e.g. https://my-resource.openai.azure.com/openai. Model ids are deployment names.",
  },
  {
    id: "mistral", label: "Mistral", defaultBaseUrl: "https://api.mistral.ai/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://docs.mistral.ai/api/", pricingUrl: "https://mistral.ai/pricing#api-pricing", wireFormat: "openai",
    params: UNIT_PARAMS, baseUrlHint: "The public API (La Plateforme).",
  },
  {
    id: "groq", label: "Groq", defaultBaseUrl: "https://api.groq.com/openai/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://console.groq.com/docs/api-reference", pricingUrl: "https://groq.com/pricing", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "Groq's OpenAI-compatible endpoint.",
  },
  {
    id: "together", label: "Together AI", defaultBaseUrl: "https://api.together.xyz/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://docs.together.ai/reference", pricingUrl: "https://www.together.ai/pricing", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "Together's OpenAI-compatible endpoint.",
  },
  {
    id: "openrouter", label: "OpenRouter", defaultBaseUrl: "https://openrouter.ai/api/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://openrouter.ai/docs/api-reference/overview", pricingUrl: "https://openrouter.ai/models", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "OpenRouter's OpenAI-compatible endpoint; model ids look like vendor/model.",
  },
  {
    id: "deepseek", label: "DeepSeek", defaultBaseUrl: "https://api.deepseek.com/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://api-docs.deepseek.com/", pricingUrl: "https://api-docs.deepseek.com/quick_start/pricing", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "DeepSeek's OpenAI-compatible endpoint.",
  },
  {
    id: "xai", label: "xAI", defaultBaseUrl: "https://api.x.ai/v1", authScheme: "bearer", keyRequired: true,
    docsUrl: "https://docs.x.ai/docs/api-reference", pricingUrl: "https://docs.x.ai/docs/models", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "xAI's OpenAI-compatible endpoint.",
  },
  {
    id: "ollama", label: "Ollama", defaultBaseUrl: "http://localhost:11434", authScheme: "none", keyRequired: false,
    docsUrl: "https://github.com/ollama/ollama/blob/main/docs/api.md", pricingUrl: "https://ollama.com/library", wireFormat: "ollama",
    params: OPENAI_PARAMS, baseUrlHint: "A local or self-hosted Ollama server; no key needed.",
  },
  {
    id: "openai-compatible", label: "OpenAI-compatible", defaultBaseUrl: "", authScheme: "bearer", keyRequired: false,
    docsUrl: "https://platform.openai.com/docs/api-reference/chat", pricingUrl: "", wireFormat: "openai",
    params: OPENAI_PARAMS, baseUrlHint: "Any server speaking the OpenAI chat API (vLLM, LiteLLM, LM Studio…), e.g. https://llm.internal/v1.",
  },
] as const satisfies readonly ProviderKindSpec[];

export type ProviderKindId = (typeof PROVIDER_KINDS)[number]["id"];

export const PROVIDER_KIND_IDS = PROVIDER_KINDS.map((kind) => kind.id) as [ProviderKindId, ...ProviderKindId[]];

const BY_ID = new Map<string, ProviderKindSpec>(PROVIDER_KINDS.map((kind) => [kind.id, kind]));

export function isProviderKind(id: string): id is ProviderKindId {
  return BY_ID.has(id);
}

/** The kind's spec; a row with a kind no longer in the catalog reads as OpenAI-compatible. */
export function providerKind(id: string): ProviderKindSpec {
  return BY_ID.get(id) ?? BY_ID.get("openai-compatible")!;
}

export const AUTH_SCHEME_LABEL: Record<AuthScheme, string> = {
  bearer: "Authorization: Bearer",
  "x-api-key": "x-api-key header",
  "query-key": "key query parameter",
  "api-key-header": "api-key header",
  none: "No authentication",
};
