// The one provider-kind registry: every difference between kinds lives here, as data. Pages,
// forms, schemas, the provider clients (lib/provider-clients: wire format, where the key goes),
// the SDK factories, the default models and log redaction all read it. A new kind is added to
// PROVIDER_KIND_IDS, and the compiler then names every table that must fill it in
// (PROVIDER_KIND_SPECS here, SDK_FACTORIES in provider-clients/adapters.ts, DEFAULT_MODELS).

/** Where the client sends the key: the header names, exactly as on the wire. */
export type AuthScheme = "bearer" | "api-key" | "x-api-key" | "x-goog-api-key" | "none";
/** The request format spoken; Azure is OpenAI's chat API under its own paths. */
export type WireFormat = "openai" | "azure" | "anthropic" | "gemini" | "ollama";
export type ParamRange = { min: number; max: number };

export const PROVIDER_KIND_IDS = [
  "openai",
  "anthropic",
  "google",
  "azure",
  "mistral",
  "groq",
  "together",
  "openrouter",
  "deepseek",
  "xai",
  "ollama",
  "openai-compatible",
] as const;

export type ProviderKindId = (typeof PROVIDER_KIND_IDS)[number];

export type KindSpec = {
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
  /** The shapes of this provider's keys, so they are redacted from any free text (logs, errors). */
  keyShapes: readonly RegExp[];
  /** A made-up key of that shape (empty for keyless kinds): the registry-driven redaction tests use it. */
  sampleKey: string;
  /** The test-call prompt when the default one does not keep answers to a word. */
  testPrompt?: string;
  /**
   * The fine-tuning API the console drives for this kind (lib/fine-tuning): "openai" is OpenAI's
   * files + fine_tuning/jobs shape; null when the console does not support fine-tuning it.
   */
  fineTuning: "openai" | null;
};

export type ProviderKindSpec = KindSpec & { id: ProviderKindId };

const OPENAI_PARAMS = { temperature: { min: 0, max: 2 }, topP: { min: 0, max: 1 } };
const UNIT_PARAMS = { temperature: { min: 0, max: 1 }, topP: { min: 0, max: 1 } };

// OpenAI-style project and service keys (sk-proj-…, sk-svcacct-…) and the older sk-…; DeepSeek and
// Together's legacy keys share the sk- prefix.
const SK_KEY = /\bsk-[A-Za-z0-9_-]{16,}/g;
const KEYLESS = { keyShapes: [], sampleKey: "" } as const;

export const PROVIDER_KIND_SPECS = {
  openai: {
    label: "OpenAI",
    fineTuning: "openai",
    defaultBaseUrl: "https://api.openai.com/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://platform.openai.com/docs/api-reference",
    pricingUrl: "https://openai.com/api/pricing/",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "The public API; change it only for a proxy.",
    keyShapes: [SK_KEY],
    sampleKey: "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
  },
  anthropic: {
    label: "Anthropic",
    fineTuning: null,
    defaultBaseUrl: "https://api.anthropic.com/v1",
    authScheme: "x-api-key",
    keyRequired: true,
    docsUrl: "https://docs.anthropic.com/en/api/overview",
    pricingUrl: "https://www.anthropic.com/pricing#api",
    wireFormat: "anthropic",
    params: UNIT_PARAMS,
    baseUrlHint: "The public API; change it only for a proxy.",
    keyShapes: [/\bsk-ant-[A-Za-z0-9_-]{16,}/g],
    sampleKey: "sk-ant-api03-Ab12Cd34Ef56Gh78Ij90-Kl12Mn34AA",
  },
  google: {
    label: "Google Gemini",
    fineTuning: null,
    defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",
    authScheme: "x-goog-api-key",
    keyRequired: true,
    docsUrl: "https://ai.google.dev/gemini-api/docs",
    pricingUrl: "https://ai.google.dev/gemini-api/docs/pricing",
    wireFormat: "gemini",
    params: OPENAI_PARAMS,
    baseUrlHint: "The Gemini API (AI Studio keys).",
    keyShapes: [/\bAIza[0-9A-Za-z_-]{20,}/g],
    sampleKey: "AIzaSyAb12Cd34Ef56Gh78Ij90Kl12Mn34Op5",
  },
  azure: {
    label: "Azure OpenAI",
    fineTuning: null,
    defaultBaseUrl: "",
    authScheme: "api-key",
    keyRequired: true,
    docsUrl: "https://learn.microsoft.com/azure/ai-services/openai/reference",
    pricingUrl: "https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/",
    wireFormat: "azure",
    params: OPENAI_PARAMS,
    baseUrlHint: "Your resource, e.g. https://my-resource.openai.azure.com/openai. Model ids are deployment names.",
    // 32 hex digits (older resources) or 84 letters and digits (newer ones).
    keyShapes: [/\b[0-9a-f]{32}\b/gi, /\b[A-Za-z0-9]{84}\b/g],
    sampleKey: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  },
  mistral: {
    label: "Mistral",
    fineTuning: null,
    defaultBaseUrl: "https://api.mistral.ai/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://docs.mistral.ai/api/",
    pricingUrl: "https://mistral.ai/pricing#api-pricing",
    wireFormat: "openai",
    params: UNIT_PARAMS,
    baseUrlHint: "The public API (La Plateforme).",
    // 32 random letters and digits, no prefix: matched only with a digit and a letter in it.
    keyShapes: [/(?<![A-Za-z0-9])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{32}(?![A-Za-z0-9])/g],
    sampleKey: "Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcDeF",
  },
  groq: {
    label: "Groq",
    fineTuning: null,
    defaultBaseUrl: "https://api.groq.com/openai/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://console.groq.com/docs/api-reference",
    pricingUrl: "https://groq.com/pricing",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "Groq's OpenAI-compatible endpoint.",
    keyShapes: [/\bgsk_[A-Za-z0-9]{16,}/g],
    sampleKey: "gsk_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34",
  },
  together: {
    label: "Together AI",
    fineTuning: null,
    defaultBaseUrl: "https://api.together.xyz/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://docs.together.ai/reference",
    pricingUrl: "https://www.together.ai/pricing",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "Together's OpenAI-compatible endpoint.",
    // tgp_v1_… keys, and the older 64 hex digits.
    keyShapes: [/\btgp_v1_[A-Za-z0-9_-]{16,}/g, /\b[0-9a-f]{64}\b/gi],
    sampleKey: "tgp_v1_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90",
  },
  openrouter: {
    label: "OpenRouter",
    fineTuning: null,
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://openrouter.ai/docs/api-reference/overview",
    pricingUrl: "https://openrouter.ai/models",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "OpenRouter's OpenAI-compatible endpoint; model ids look like vendor/model.",
    keyShapes: [/\bsk-or-v1-[0-9a-f]{16,}/g],
    sampleKey: "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",
  },
  deepseek: {
    label: "DeepSeek",
    fineTuning: null,
    defaultBaseUrl: "https://api.deepseek.com/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://api-docs.deepseek.com/",
    pricingUrl: "https://api-docs.deepseek.com/quick_start/pricing",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "DeepSeek's OpenAI-compatible endpoint.",
    keyShapes: [SK_KEY],
    sampleKey: "sk-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  },
  xai: {
    label: "xAI",
    fineTuning: null,
    defaultBaseUrl: "https://api.x.ai/v1",
    authScheme: "bearer",
    keyRequired: true,
    docsUrl: "https://docs.x.ai/docs/api-reference",
    pricingUrl: "https://docs.x.ai/docs/models",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "xAI's OpenAI-compatible endpoint.",
    keyShapes: [/\bxai-[A-Za-z0-9]{16,}/g],
    sampleKey: "xai-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34Yz56Ab78Cd90Ef12Gh34Ij56Kl78Mn90",
  },
  ollama: {
    // Ollama takes no key; one set anyway goes as a bearer token (Ollama behind an auth proxy).
    label: "Ollama",
    fineTuning: null,
    defaultBaseUrl: "http://localhost:11434",
    authScheme: "bearer",
    keyRequired: false,
    docsUrl: "https://github.com/ollama/ollama/blob/main/docs/api.md",
    pricingUrl: "https://ollama.com/library",
    wireFormat: "ollama",
    params: OPENAI_PARAMS,
    baseUrlHint:
      "A local or self-hosted Ollama server; no key needed. Local addresses must be allowed in EGRESS_ALLOWED_NETWORKS.",
    ...KEYLESS,
    // Small local models ramble unless told the answer is a health check.
    testPrompt: "This is a health check. Reply with the single word: pong",
  },
  "openai-compatible": {
    label: "OpenAI-compatible",
    fineTuning: "openai",
    defaultBaseUrl: "",
    authScheme: "bearer",
    keyRequired: false,
    docsUrl: "https://platform.openai.com/docs/api-reference/chat",
    pricingUrl: "",
    wireFormat: "openai",
    params: OPENAI_PARAMS,
    baseUrlHint: "Any server speaking the OpenAI chat API (vLLM, LiteLLM, LM Studio…), e.g. https://llm.internal/v1.",
    // Whatever the server issues; sk- is the common convention (LiteLLM, vLLM's --api-key examples).
    keyShapes: [SK_KEY],
    sampleKey: "sk-local-Ab12Cd34Ef56Gh78Ij90",
  },
} as const satisfies Record<ProviderKindId, KindSpec>;

/** The registry as a list in PROVIDER_KIND_IDS order, each entry with its id. */
export const PROVIDER_KINDS: readonly ProviderKindSpec[] = PROVIDER_KIND_IDS.map((id) => ({
  id,
  ...PROVIDER_KIND_SPECS[id],
}));

const BY_ID = new Map<string, ProviderKindSpec>(PROVIDER_KINDS.map((kind) => [kind.id, kind]));

/** Own keys only: "constructor" or "__proto__" are not kinds. */
export function isProviderKind(id: string): id is ProviderKindId {
  return BY_ID.has(id);
}

/** The kind's spec; a row with a kind no longer in the catalog reads as OpenAI-compatible. */
export function providerKind(id: string): ProviderKindSpec {
  return BY_ID.get(id) ?? BY_ID.get("openai-compatible")!;
}

/** What the provider page says about authentication: the same header names the client sends. */
export const AUTH_SCHEME_LABEL: Record<AuthScheme, string> = {
  bearer: "Authorization: Bearer header",
  "api-key": "api-key header",
  "x-api-key": "x-api-key header",
  "x-goog-api-key": "x-goog-api-key header",
  none: "No authentication",
};

/** Every kind's key shapes, for redaction of free text. */
export const KEY_SHAPES: readonly RegExp[] = PROVIDER_KINDS.flatMap((kind) => kind.keyShapes);
