import { describe, expect, test } from "vitest";

import { apiRoot, authHeaders, kindProfile, modelsUrl, PROVIDER_KINDS } from "@/lib/provider-clients/wire-formats";

describe("wire formats", () => {
  test("every kind of the registry has a profile", () => {
    expect(PROVIDER_KINDS.sort()).toEqual(
      [
        "anthropic",
        "azure",
        "deepseek",
        "google",
        "groq",
        "mistral",
        "ollama",
        "openai",
        "openai-compatible",
        "openrouter",
        "together",
        "xai",
      ].sort(),
    );
    expect(kindProfile("nope")).toBeUndefined();
    expect(kindProfile("constructor")).toBeUndefined();
  });

  test("base URLs are normalised with or without the version segment", () => {
    expect(apiRoot("anthropic", "https://api.anthropic.com")).toBe("https://api.anthropic.com/v1");
    expect(apiRoot("anthropic", "https://api.anthropic.com/v1/")).toBe("https://api.anthropic.com/v1");
    expect(apiRoot("gemini", "https://generativelanguage.googleapis.com")).toBe(
      "https://generativelanguage.googleapis.com/v1beta",
    );
    expect(apiRoot("gemini", "https://generativelanguage.googleapis.com/v1beta")).toBe(
      "https://generativelanguage.googleapis.com/v1beta",
    );
    expect(apiRoot("ollama", "http://localhost:11434/v1")).toBe("http://localhost:11434");
    expect(apiRoot("azure", "https://res.openai.azure.com/openai/v1")).toBe("https://res.openai.azure.com/openai");
    expect(apiRoot("azure", "https://res.openai.azure.com")).toBe("https://res.openai.azure.com/openai");
    expect(apiRoot("openai", "https://api.groq.com/openai/v1/")).toBe("https://api.groq.com/openai/v1");
  });

  test("model list URLs per format", () => {
    expect(modelsUrl("openai", "https://api.openai.com/v1")).toBe("https://api.openai.com/v1/models");
    expect(modelsUrl("azure", "https://res.openai.azure.com")).toBe("https://res.openai.azure.com/openai/v1/models");
    expect(modelsUrl("anthropic", "https://api.anthropic.com")).toBe("https://api.anthropic.com/v1/models");
    expect(modelsUrl("gemini", "https://generativelanguage.googleapis.com")).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models",
    );
    expect(modelsUrl("ollama", "http://localhost:11434")).toBe("http://localhost:11434/api/tags");
  });

  test("keys go in the header each provider expects, never in the URL", () => {
    const profile = (kind: string) => kindProfile(kind) ?? { wire: "openai" as const, auth: "none" as const };
    expect(authHeaders(profile("openai"), "k1")).toEqual({ authorization: "Bearer k1" });
    expect(authHeaders(profile("azure"), "k2")).toEqual({ "api-key": "k2" });
    expect(authHeaders(profile("anthropic"), "k3")).toEqual({ "x-api-key": "k3", "anthropic-version": "2023-06-01" });
    expect(authHeaders(profile("google"), "k4")).toEqual({ "x-goog-api-key": "k4" });
    expect(authHeaders(profile("ollama"), "")).toEqual({});
  });
});
