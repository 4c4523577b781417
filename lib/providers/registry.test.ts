import { describe, expect, test } from "vitest";

import { REDACTED, redactText } from "@/lib/log/redact";
import { createLanguageModel } from "@/lib/provider-clients/adapters";
import { authHeaders, kindProfile } from "@/lib/provider-clients/wire-formats";
import { AUTH_SCHEME_LABEL, PROVIDER_KIND_IDS, PROVIDER_KIND_SPECS, PROVIDER_KINDS } from "@/lib/providers/catalog";
import { DEFAULT_MODELS } from "@/lib/providers/default-models";
import { testPromptFor } from "@/lib/test-calls/test-prompt";

// Derived from the registry: a kind added to PROVIDER_KIND_IDS is checked here without touching
// this file, and what the provider page says about a kind is what the client does.
describe.each(PROVIDER_KINDS.map((kind) => [kind.id, kind] as const))("kind %s", (id, kind) => {
  test("the client speaks the registry's wire format and sends the key where the page says", () => {
    expect(kindProfile(id)).toEqual({ wire: kind.wireFormat, auth: kind.authScheme });
    const headers = authHeaders(kindProfile(id)!, "k-123");
    const label = AUTH_SCHEME_LABEL[kind.authScheme].toLowerCase();
    if (kind.authScheme === "none") expect(headers).toEqual({});
    else {
      const [name, value] = Object.entries(headers).find(([, v]) => v.includes("k-123"))!;
      expect(label).toContain(name);
      expect(value === "k-123" || value === "Bearer k-123").toBe(true);
    }
  });

  test("has an SDK factory, default models and a test prompt", () => {
    const model = createLanguageModel(
      id,
      { baseUrl: kind.defaultBaseUrl || "https://llm.example.test/v1", apiKey: "k", fetch },
      "m",
    );
    expect(model?.modelId).toMatch(/m$/);
    expect(Array.isArray(DEFAULT_MODELS[id])).toBe(true);
    expect(testPromptFor(id)).toMatch(/pong/);
  });

  test("its key shapes redact its sample key from free text", () => {
    if (!kind.keyRequired && kind.sampleKey === "") return expect(kind.keyShapes).toEqual([]);
    expect(kind.sampleKey.length).toBeGreaterThanOrEqual(20);
    for (const shape of kind.keyShapes) expect(shape.flags).toContain("g");
    expect(
      kind.keyShapes.some((shape) => new RegExp(shape.source, shape.flags.replace("g", "")).test(kind.sampleKey)),
    ).toBe(true);
    const out = redactText(`provider said: invalid key "${kind.sampleKey}" (request 7)`);
    expect(out).toBe(`provider said: invalid key "${REDACTED}" (request 7)`);
  });
});

test("the registry has exactly the listed kinds", () => {
  expect(Object.keys(PROVIDER_KIND_SPECS).sort()).toEqual([...PROVIDER_KIND_IDS].sort());
  expect(kindProfile("constructor")).toBeUndefined();
  expect(createLanguageModel("__proto__", { baseUrl: "https://x.test", apiKey: "", fetch }, "m")).toBeUndefined();
});
