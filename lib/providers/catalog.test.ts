import { describe, expect, it } from "vitest";
import {
  AUTH_SCHEME_LABEL,
  PROVIDER_KINDS,
  PROVIDER_KIND_IDS,
  isProviderKind,
  providerKind,
} from "@/lib/providers/catalog";
import { DEFAULT_MODELS, DEFAULT_MODELS_CHECKED_ON, defaultModelsFor } from "@/lib/providers/default-models";
import { checkBaseUrl } from "@/lib/providers/base-url";
import { parsePrice } from "@/lib/providers/price";

const REQUIRED_KINDS = [
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
];

describe("provider catalog", () => {
  it("lists every required kind exactly once", () => {
    expect([...PROVIDER_KIND_IDS].sort()).toEqual([...REQUIRED_KINDS].sort());
    expect(new Set(PROVIDER_KIND_IDS).size).toBe(PROVIDER_KIND_IDS.length);
  });

  it.each(PROVIDER_KINDS.map((kind) => [kind.id, kind] as const))("%s is fully described", (_id, kind) => {
    expect(kind.label).not.toBe("");
    expect(kind.docsUrl).toMatch(/^https:\/\//);
    expect(kind.pricingUrl === "" || kind.pricingUrl.startsWith("https://")).toBe(true);
    expect(AUTH_SCHEME_LABEL[kind.authScheme]).toBeDefined();
    expect(["openai", "azure", "anthropic", "gemini", "ollama"]).toContain(kind.wireFormat);
    expect(kind.params.temperature.min).toBeLessThan(kind.params.temperature.max);
    if (kind.defaultBaseUrl)
      expect(checkBaseUrl(kind.defaultBaseUrl, false)).toEqual({ ok: true, url: kind.defaultBaseUrl });
    if (kind.authScheme === "none") expect(kind.keyRequired).toBe(false);
  });

  it("leaves the base URL to the admin only where there is no public endpoint", () => {
    expect(
      PROVIDER_KINDS.filter((kind) => !kind.defaultBaseUrl)
        .map((kind) => kind.id)
        .sort(),
    ).toEqual(["azure", "openai-compatible"]);
  });

  it("keeps the provider-specific parameter ranges", () => {
    expect(providerKind("openai").params.temperature.max).toBe(2);
    expect(providerKind("anthropic").params.temperature.max).toBe(1);
  });

  it("reads an unknown kind as OpenAI-compatible", () => {
    expect(isProviderKind("nope")).toBe(false);
    expect(providerKind("nope").id).toBe("openai-compatible");
  });
});

describe("default models", () => {
  it("is dated and covers every kind but the generic one", () => {
    expect(DEFAULT_MODELS_CHECKED_ON).toBe("2026-11-26");
    for (const id of PROVIDER_KIND_IDS) {
      if (id === "openai-compatible") expect(DEFAULT_MODELS[id]).toEqual([]);
      else expect(DEFAULT_MODELS[id].length).toBeGreaterThan(0);
    }
    expect(defaultModelsFor("unknown")).toEqual([]);
  });

  it.each(
    Object.entries(DEFAULT_MODELS).flatMap(([kind, models]) =>
      models.map((model) => [kind, model.modelId, model] as const),
    ),
  )("%s %s has valid prices and metadata", (_kind, _id, model) => {
    expect(model.modelId).toMatch(/^\S+$/);
    expect(model.contextWindow).toBeGreaterThan(0);
    for (const price of [model.price.input, model.price.output, model.price.cachedInput].filter(
      (p) => p !== undefined,
    )) {
      expect(parsePrice(price).ok).toBe(true);
    }
    if (model.type === "DOMAIN") expect(model.domain).toBeTruthy();
  });

  it("has no duplicate model ids within a kind", () => {
    for (const models of Object.values(DEFAULT_MODELS)) {
      expect(new Set(models.map((model) => model.modelId)).size).toBe(models.length);
    }
  });
});
