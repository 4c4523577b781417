// How each provider kind is spoken to on the wire: the request format and where the key goes, as
// the registry (lib/providers/catalog.ts) says; this module only builds requests from it, so it
// works for any base URL.
import {
  PROVIDER_KIND_IDS,
  PROVIDER_KIND_SPECS,
  isProviderKind,
  type AuthScheme,
  type WireFormat,
} from "@/lib/providers/catalog";

export type { AuthScheme, WireFormat };

export type KindProfile = { wire: WireFormat; auth: AuthScheme };

export const PROVIDER_KINDS: string[] = [...PROVIDER_KIND_IDS];

export const ANTHROPIC_VERSION = "2023-06-01";

export function kindProfile(kind: string): KindProfile | undefined {
  if (!isProviderKind(kind)) return undefined;
  const spec = PROVIDER_KIND_SPECS[kind];
  return { wire: spec.wireFormat, auth: spec.authScheme };
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
