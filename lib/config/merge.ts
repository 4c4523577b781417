import {
  CONFIG_DEFAULTS,
  CONFIG_FIELDS,
  type ConfigField,
  type ConfigSnapshot,
  type ConfigSource,
} from "@/lib/config/fields";

// The configuration that applies to a call: the model's own value where it sets one, else the
// provider's, else the built-in default — decided per field, and each value says where it came
// from so the page (and anyone debugging a test call) can see why it applies.

export type EffectiveField<K extends ConfigField = ConfigField> = { value: ConfigSnapshot[K]; source: ConfigSource };
export type EffectiveConfig = { [K in ConfigField]: EffectiveField<K> };

export function mergeConfig(
  provider: ConfigSnapshot | null,
  model: ConfigSnapshot | null,
  defaults: ConfigSnapshot = CONFIG_DEFAULTS,
): EffectiveConfig {
  const pick = <K extends ConfigField>(field: K): EffectiveField<K> => {
    const fromModel = model?.[field] ?? null;
    if (fromModel !== null) return { value: fromModel, source: "model" };
    const fromProvider = provider?.[field] ?? null;
    if (fromProvider !== null) return { value: fromProvider, source: "provider" };
    return { value: defaults[field], source: "default" };
  };
  return Object.fromEntries(CONFIG_FIELDS.map((field) => [field, pick(field)])) as EffectiveConfig;
}

/** Just the values, for callers that do not care where each came from. */
export function effectiveValues(config: EffectiveConfig): ConfigSnapshot {
  return Object.fromEntries(CONFIG_FIELDS.map((field) => [field, config[field].value])) as ConfigSnapshot;
}
