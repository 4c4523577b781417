import "server-only";
import { addPriceSpec } from "@/lib/providers/price-specs";
import { createModelSpec, deleteModelSpec, setModelEnabledSpec, updateModelSpec } from "@/lib/providers/model-specs";
import { deleteProviderSpec, restoreProviderSpec } from "@/lib/providers/provider-lifecycle-specs";
import { createProviderSpec, setProviderEnabledSpec, updateProviderSpec } from "@/lib/providers/provider-specs";

export {
  addPriceSpec,
  createModelSpec,
  createProviderSpec,
  deleteModelSpec,
  deleteProviderSpec,
  restoreProviderSpec,
  setModelEnabledSpec,
  setProviderEnabledSpec,
  updateModelSpec,
  updateProviderSpec,
};

/** Every mutation of providers, models and prices: the role-refusal tests iterate this list. */
export const providerActionSpecs = [
  createProviderSpec,
  updateProviderSpec,
  setProviderEnabledSpec,
  deleteProviderSpec,
  restoreProviderSpec,
  createModelSpec,
  updateModelSpec,
  setModelEnabledSpec,
  deleteModelSpec,
  addPriceSpec,
] as const;
