import { describe, expect, it } from "vitest";
import { createProviderSchema, updateProviderSchema } from "@/lib/providers/schemas";
import { addPriceSchema, createModelSchema, updateModelSchema } from "@/lib/providers/model-schemas";

const PROVIDER_ID = "7f1c2a64-3b0e-4f4a-9d1e-2c3b4a5d6e7f";
const MODEL_ID = "0b8a6e1d-5c4f-4e3a-8b2d-1a0f9e8d7c6b";

const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("provider schemas", () => {
  it("fills the catalog's base URL and parses checkboxes and tags", () => {
    const parsed = createProviderSchema.parse({
      name: " Main OpenAI ",
      kind: "openai",
      baseUrl: "",
      tags: "prod, eu, prod",
      importDefaults: "on",
    });
    expect(parsed).toMatchObject({
      name: "Main OpenAI",
      baseUrl: "https://api.openai.com/v1",
      tags: ["prod", "eu"],
      importDefaults: true,
      allowInsecure: false,
    });
  });

  it("requires a base URL for kinds without a public endpoint", () => {
    expect(errorsOf(createProviderSchema.safeParse({ name: "Azure", kind: "azure", baseUrl: "" }))).toEqual({
      baseUrl: expect.stringMatching(/enter the base URL/),
    });
  });

  it("reports every problem at once, the base URL rule included", () => {
    const errors = errorsOf(
      createProviderSchema.safeParse({ name: "", kind: "bogus", baseUrl: "http://llm.internal", tags: "x".repeat(41) }),
    );
    expect(Object.keys(errors).sort()).toEqual(["baseUrl", "kind", "name", "tags"]);
  });

  it("accepts plain http off the machine only with allow insecure", () => {
    expect(
      createProviderSchema.safeParse({ name: "Local", kind: "openai-compatible", baseUrl: "http://llm.internal/v1" })
        .success,
    ).toBe(false);
    expect(
      createProviderSchema.parse({
        name: "Local",
        kind: "openai-compatible",
        baseUrl: "http://llm.internal/v1/",
        allowInsecure: "on",
      }).baseUrl,
    ).toBe("http://llm.internal/v1");
  });

  it("refuses NUL characters, which PostgreSQL text cannot store, as field errors", () => {
    expect(
      Object.keys(
        errorsOf(
          createProviderSchema.safeParse({ name: "a\u0000b", kind: "openai", description: "\u0000", tags: "x\u0000" }),
        ),
      ).sort(),
    ).toEqual(["description", "name", "tags"]);
    expect(
      Object.keys(
        errorsOf(createModelSchema.safeParse({ providerId: PROVIDER_ID, modelId: "m\u0000", type: "GENERAL" })),
      ),
    ).toEqual(["modelId"]);
  });

  it("refuses a malformed provider id on edit", () => {
    expect(
      errorsOf(
        updateProviderSchema.safeParse({ providerId: "nope", name: "x", slug: "x", baseUrl: "https://a.example" }),
      ),
    ).toEqual({ providerId: "Unknown provider." });
  });

  it("leaves an empty slug to the database on create and lower-cases a typed one", () => {
    const create = (slug?: string) => createProviderSchema.parse({ name: "Acme", kind: "openai", slug }).slug;
    expect([create(undefined), create(""), create("  "), create(" Acme-EU ")]).toEqual(["", "", "", "acme-eu"]);
  });

  it("requires a well-formed slug on edit", () => {
    const edit = (slug: unknown) =>
      errorsOf(
        updateProviderSchema.safeParse({ providerId: PROVIDER_ID, name: "x", slug, baseUrl: "https://a.example" }),
      ).slug;
    expect(edit("a")).toBeUndefined();
    expect(edit("a1-b2--c3")).toBeUndefined();
    expect(edit("z".repeat(40))).toBeUndefined();
    expect(edit(undefined)).toBe("Enter a slug.");
    expect(edit("")).toBe("Enter a slug.");
    for (const bad of ["-a", "a-", "a_b", "a/b", "a.b", "a b", "z".repeat(41), "ünï"])
      expect(edit(bad), bad).toMatch(/lower-case letters, digits and dashes/);
  });
});

describe("model schemas", () => {
  const base = { providerId: PROVIDER_ID, modelId: "gpt-x", type: "GENERAL" };

  it("reads max output tokens as an optional whole number no larger than the context window", () => {
    const out = (fields: Record<string, string>) => createModelSchema.safeParse({ ...base, ...fields });
    expect(out({ maxOutputTokens: "16,384" }).data?.maxOutputTokens).toBe(16384);
    expect(out({ maxOutputTokens: "" }).data?.maxOutputTokens).toBeNull();
    expect(out({ contextWindow: "8192", maxOutputTokens: "8192" }).data?.maxOutputTokens).toBe(8192);
    for (const bad of ["0", "-5", "2.5", "1e3", "10000001"])
      expect(errorsOf(out({ maxOutputTokens: bad })), bad).toHaveProperty("maxOutputTokens");
    expect(errorsOf(out({ contextWindow: "8192", maxOutputTokens: "8193" }))).toEqual({
      maxOutputTokens: "Max output tokens cannot exceed the context window.",
    });
    expect(
      errorsOf(updateModelSchema.safeParse({ ...base, id: MODEL_ID, contextWindow: "100", maxOutputTokens: "200" })),
    ).toHaveProperty("maxOutputTokens");
  });

  it("defaults the display name and drops fields that do not fit the type", () => {
    expect(createModelSchema.parse({ ...base, domain: "law", contextWindow: "128,000", enabled: "on" })).toMatchObject({
      displayName: "gpt-x",
      domain: null,
      contextWindow: 128000,
      enabled: true,
      price: null,
    });
  });

  it("requires the domain of a domain model and the base of a fine-tune", () => {
    expect(errorsOf(createModelSchema.safeParse({ ...base, type: "DOMAIN" }))).toEqual({ domain: expect.any(String) });
    expect(errorsOf(updateModelSchema.safeParse({ ...base, id: MODEL_ID, type: "FINE_TUNED" }))).toEqual({
      baseModel: expect.any(String),
    });
  });

  it("takes an optional first price, all or nothing", () => {
    const parsed = createModelSchema.parse({
      ...base,
      inputPrice: "1.5",
      outputPrice: "2",
      effectiveFrom: "2026-01-01",
    });
    expect(parsed.price).toEqual({
      inputPrice: "1.5",
      outputPrice: "2",
      cachedInputPrice: null,
      effectiveFrom: new Date("2026-01-01T00:00:00.000Z"),
    });
    expect(Object.keys(errorsOf(createModelSchema.safeParse({ ...base, inputPrice: "1.5" }))).sort()).toEqual([
      "effectiveFrom",
      "outputPrice",
    ]);
  });

  it("refuses bad context windows and model ids with spaces", () => {
    expect(
      Object.keys(errorsOf(createModelSchema.safeParse({ ...base, modelId: "a b", contextWindow: "1.5" }))).sort(),
    ).toEqual(["contextWindow", "modelId"]);
  });
});

describe("price schema", () => {
  const base = {
    providerId: PROVIDER_ID,
    id: MODEL_ID,
    inputPrice: "3",
    outputPrice: "15",
    effectiveFrom: "2026-02-28",
  };

  it("keeps prices as exact decimal text", () => {
    expect(addPriceSchema.parse({ ...base, cachedInputPrice: "0.30" })).toMatchObject({
      inputPrice: "3",
      outputPrice: "15",
      cachedInputPrice: "0.3",
    });
  });

  it.each([["2026-02-30"], ["26-01-01"], ["1999-12-31"], [""]])("refuses the date %s", (effectiveFrom) => {
    expect(errorsOf(addPriceSchema.safeParse({ ...base, effectiveFrom }))).toEqual({
      effectiveFrom: expect.any(String),
    });
  });

  it("refuses negative and over-precise prices", () => {
    expect(
      Object.keys(errorsOf(addPriceSchema.safeParse({ ...base, inputPrice: "-1", outputPrice: "0.1234567" }))).sort(),
    ).toEqual(["inputPrice", "outputPrice"]);
  });
});
