import "server-only";
import { mergeConfig, effectiveValues, type EffectiveConfig } from "@/lib/config/merge";
import { findConfigModel, getConfigProvider, latestConfigVersion } from "@/lib/config/queries";
import type { ConfigSnapshot } from "@/lib/config/fields";

export type EffectiveConfigResult = {
  providerId: string;
  providerKind: string;
  /** The model's row id when a model was asked for and found. */
  modelId: string | null;
  /** Which versions are in force (null: that level has never been saved). */
  providerVersion: number | null;
  modelVersion: number | null;
  /** Each field's value and where it came from: "model", "provider" or "default". */
  fields: EffectiveConfig;
  /** The same values without their sources; the budget is a decimal string. */
  values: ConfigSnapshot;
};

/**
 * The configuration a call to this provider (and model) runs with, merged field by field:
 * model over provider over built-in defaults. `modelId` is the model's row id or its API id
 * ("gpt-4o"). Returns null for an unknown provider, or a model that is not this provider's.
 */
export async function getEffectiveConfig(
  providerId: string,
  modelId?: string | null,
): Promise<EffectiveConfigResult | null> {
  const provider = await getConfigProvider(providerId);
  if (!provider) return null;
  const model = modelId ? await findConfigModel(provider.id, modelId) : null;
  if (modelId && !model) return null;
  const providerLevel = await latestConfigVersion(provider.id, null);
  const modelLevel = model ? await latestConfigVersion(provider.id, model.id) : null;
  const fields = mergeConfig(providerLevel?.snapshot ?? null, modelLevel?.snapshot ?? null);
  return {
    providerId: provider.id,
    providerKind: provider.kind,
    modelId: model?.id ?? null,
    providerVersion: providerLevel?.version ?? null,
    modelVersion: modelLevel?.version ?? null,
    fields,
    values: effectiveValues(fields),
  };
}
