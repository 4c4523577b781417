import { describe, expect, it } from "vitest";
import { checkRanges, configRanges, describeRange } from "@/lib/config/param-ranges";
import { EMPTY_SNAPSHOT, type ConfigSnapshot } from "@/lib/config/fields";
import { PROVIDER_KIND_IDS } from "@/lib/providers/catalog";

const snapshot = (values: Partial<ConfigSnapshot>): ConfigSnapshot => ({ ...EMPTY_SNAPSHOT, ...values });

describe("per-kind ranges", () => {
  it("takes temperature 0–2 for OpenAI-style kinds and 0–1 for Anthropic", () => {
    expect(configRanges("openai").temperature).toMatchObject({ min: 0, max: 2 });
    expect(configRanges("anthropic").temperature).toMatchObject({ min: 0, max: 1 });
    expect(describeRange(configRanges("anthropic").temperature)).toBe("0–1");
  });

  it("has every range for every kind in the catalog, with top-p inside 0–1", () => {
    for (const kind of PROVIDER_KIND_IDS) {
      const ranges = configRanges(kind);
      expect(ranges.topP.min).toBeGreaterThanOrEqual(0);
      expect(ranges.topP.max).toBeLessThanOrEqual(1);
      expect(ranges.timeoutMs).toMatchObject({ min: 1_000, max: 600_000 });
      expect(ranges.retries).toMatchObject({ min: 0, max: 5 });
    }
  });

  it("accepts a temperature of 1.5 for OpenAI and refuses it for Anthropic, naming the kind", () => {
    expect(checkRanges("openai", snapshot({ temperature: 1.5 }))).toEqual({});
    expect(checkRanges("anthropic", snapshot({ temperature: 1.5 })).temperature?.[0]).toBe(
      "Enter a value between 0 and 1 for Anthropic.",
    );
  });

  it("bounds timeout to 1 s–10 min, retries to 0–5 and limits to positive whole numbers", () => {
    const errors = checkRanges(
      "groq",
      snapshot({ timeoutMs: 999, retries: 6, requestsPerMinute: 0, tokensPerMinute: 2.5, maxOutputTokens: 0 }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      "maxOutputTokens",
      "requestsPerMinute",
      "retries",
      "timeoutMs",
      "tokensPerMinute",
    ]);
    expect(errors.tokensPerMinute).toEqual(["Enter a whole number."]);
    expect(checkRanges("groq", snapshot({ timeoutMs: 1_000, retries: 0, requestsPerMinute: 1 }))).toEqual({});
    expect(checkRanges("groq", snapshot({ timeoutMs: 600_000, retries: 5 }))).toEqual({});
  });

  it("ignores unset fields and reads an unknown kind like OpenAI-compatible", () => {
    expect(checkRanges("anthropic", EMPTY_SNAPSHOT)).toEqual({});
    expect(configRanges("no-such-kind").temperature).toMatchObject(configRanges("openai-compatible").temperature);
  });
});
