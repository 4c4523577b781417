import { describe, expect, test } from "vitest";
import { entryNamesModel, gatewayModelName, unknownEntries, type CallableModel } from "@/lib/gateway-keys/model-names";

const models: CallableModel[] = [
  { providerSlug: "openai-prod", providerName: "OpenAI prod", modelId: "gpt-4o", displayName: "GPT-4o" },
  { providerSlug: "router", providerName: "Router", modelId: "meta-llama/llama-3-70b", displayName: "Llama 3" },
];

describe("gateway model names", () => {
  test("the full name is the provider slug, a slash and the model id (which may itself hold slashes)", () => {
    expect(gatewayModelName(models[0]!)).toBe("openai-prod/gpt-4o");
    expect(gatewayModelName(models[1]!)).toBe("router/meta-llama/llama-3-70b");
  });

  test("an entry names a model by its full name or its bare model id, exactly", () => {
    expect(entryNamesModel("openai-prod/gpt-4o", models)).toBe(true);
    expect(entryNamesModel("gpt-4o", models)).toBe(true);
    expect(entryNamesModel("meta-llama/llama-3-70b", models)).toBe(true);
    expect(entryNamesModel("router/meta-llama/llama-3-70b", models)).toBe(true);
    expect(entryNamesModel("GPT-4o", models)).toBe(false);
    expect(entryNamesModel("other/gpt-4o", models)).toBe(false);
    expect(entryNamesModel("openai-prod", models)).toBe(false);
  });

  test("unknownEntries lists exactly the entries that name nothing", () => {
    expect(unknownEntries(["gpt-4o", "nope", "router/gpt-4o"], models)).toEqual(["nope", "router/gpt-4o"]);
    expect(unknownEntries([], [])).toEqual([]);
  });
});
