import { describe, expect, it } from "vitest";
import { effectiveValues, mergeConfig } from "@/lib/config/merge";
import { CONFIG_DEFAULTS, CONFIG_FIELDS, EMPTY_SNAPSHOT, type ConfigSnapshot } from "@/lib/config/fields";

const snapshot = (values: Partial<ConfigSnapshot>): ConfigSnapshot => ({ ...EMPTY_SNAPSHOT, ...values });

describe("mergeConfig", () => {
  it("uses the built-in defaults when nothing is configured", () => {
    const merged = mergeConfig(null, null);
    for (const field of CONFIG_FIELDS)
      expect(merged[field]).toEqual({ value: CONFIG_DEFAULTS[field], source: "default" });
  });

  it("lets the provider override defaults field by field", () => {
    const merged = mergeConfig(snapshot({ timeoutMs: 5_000, temperature: 0.2 }), null);
    expect(merged.timeoutMs).toEqual({ value: 5_000, source: "provider" });
    expect(merged.temperature).toEqual({ value: 0.2, source: "provider" });
    expect(merged.retries).toEqual({ value: CONFIG_DEFAULTS.retries, source: "default" });
  });

  it("lets the model override the provider only where the model sets a value", () => {
    const provider = snapshot({ temperature: 1.5, timeoutMs: 20_000, monthlyBudgetUsd: "500.00" });
    const model = snapshot({ temperature: 0.3, monthlyBudgetUsd: "50.00" });
    const merged = mergeConfig(provider, model);
    expect(merged.temperature).toEqual({ value: 0.3, source: "model" });
    expect(merged.monthlyBudgetUsd).toEqual({ value: "50.00", source: "model" });
    expect(merged.timeoutMs).toEqual({ value: 20_000, source: "provider" });
    expect(merged.topP).toEqual({ value: null, source: "default" });
  });

  it("keeps a model's zero as an override (zero is a value, not inherit)", () => {
    const merged = mergeConfig(snapshot({ temperature: 1, retries: 3 }), snapshot({ temperature: 0, retries: 0 }));
    expect(merged.temperature).toEqual({ value: 0, source: "model" });
    expect(merged.retries).toEqual({ value: 0, source: "model" });
  });

  it("flattens to plain values", () => {
    const values = effectiveValues(
      mergeConfig(snapshot({ requestsPerMinute: 60 }), snapshot({ tokensPerMinute: 9_000 })),
    );
    expect(values).toEqual({ ...CONFIG_DEFAULTS, requestsPerMinute: 60, tokensPerMinute: 9_000 });
  });
});
