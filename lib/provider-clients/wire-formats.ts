// How each provider kind is spoken to on the wire: the request format and where the key goes.
// The console's catalog (lib/providers/catalog.ts) owns names, docs and default URLs; this map
// only holds what the client layer needs to build a request, so it works for any base URL.

export type WireFormat = "openai" | "azure" | "anthropic" | "gemini" | "ollama";
export type AuthScheme = "bearer" | "api-key" | "x-api-key" | "x-goog-api-key" | "none";

export type KindProfile = { wire: WireFormat; auth: AuthScheme };

const OPENAI_STYLE: KindProfile = { wire: "openai", auth: "bearer" };

export const KIND_PROFILES: Record<string, KindProfile> = {
  openai: OPENAI_STYLE,
  mistral: OPENAI_STYLE,
  groq: OPENAI_STYLE,
  together: OPENAI_STYLE,
  openrouter: OPENAI_STYLE,
  deepseek: OPENAI_STYLE,
  xai: OPENAI_STYLE,
  "openai-compatible": OPENAI_STYLE,
  azure: { wire: "azure", auth: "api-key" },
  anthropic: { wire: "anthropic", auth: "x-api-key" },
  google: { wire: "gemini", auth: "x-goog-api-key" },
  // Ollama takes no key; one set anyway goes as a bearer token (Ollama behind an auth proxy).
  ollama: { wire: "ollama", auth: "bearer" },
};

export const PROVIDER_KINDS = Object.keys(KIND_PROFILES);

export const ANTHROPIC_VERSION = "2023-06-01";

export function kindProfile(kind: string): KindProfile | undefined {
  return Object.hasOwn(KIND_PROFILES, kind) ? KIND_PROFILES[kind] : undefined;
}

// Keys travel in headers only, never in the URL, so they cannot land in proxy or access logs.
export function authHeaders(profile: KindProfile, apiKey: string): Record<string, string> {
  if (!apiKey) return {};
  switch (profile.auth) {
    case "bearer":
      return { authorization: `Bearer ${apiKey}` };
    case "api-key":
      return { "api-key": apiKey };
    case "x-api-key":
      return { "x-api-key": apiKey, "anthropic-version": ANTHROPIC_VERSION };
    case "x-goog-api-key":
      return { "x-goog-api-key": apiKey };
    case "none":
      return {};
  }
}

function trimSlashes(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

function stripSuffix(url: string, suffixes: readonly string[]): string {
  let out = trimSlashes(url);
  for (const suffix of suffixes) {
    if (out.toLowerCase().endsWith(suffix)) out = out.slice(0, -suffix.length);
  }
  return out;
}

// Admins paste base URLs with or without the version segment ("https://api.anthropic.com" vs
// ".../v1"); each format is normalised to the root its SDK expects.
export function apiRoot(wire: WireFormat, baseUrl: string): string {
  switch (wire) {
    case "openai":
      // OpenAI-style bases carry their own prefix (".../openai/v1", ".../api/v1"): use as given.
      return trimSlashes(baseUrl);
    case "azure":
      return `${stripSuffix(baseUrl, ["/v1", "/openai"])}/openai`;
    case "anthropic":
      return `${stripSuffix(baseUrl, ["/v1"])}/v1`;
    case "gemini":
      return `${stripSuffix(baseUrl, ["/v1beta", "/v1"])}/v1beta`;
    case "ollama":
      return stripSuffix(baseUrl, ["/v1", "/api"]);
  }
}

export function modelsUrl(wire: WireFormat, baseUrl: string): string {
  const root = apiRoot(wire, baseUrl);
  switch (wire) {
    case "azure":
      // Azure's versionless v1 API, the same one the chat adapter uses.
      return `${root}/v1/models`;
    case "ollama":
      return `${root}/api/tags`;
    default:
      return `${root}/models`;
  }
}
