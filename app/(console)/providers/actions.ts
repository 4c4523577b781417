"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
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
} from "@/lib/providers/action-specs";

// Each action checks the session and its capability itself (defineAction), so a replayed or
// hand-made POST from a role without write access is refused like the form would be.
export const createProvider = defineAction(createProviderSpec);
export const updateProvider = defineAction(updateProviderSpec);
export const setProviderEnabled = defineAction(setProviderEnabledSpec);
export const deleteProvider = defineAction(deleteProviderSpec);
export const restoreProvider = defineAction(restoreProviderSpec);
export const createModel = defineAction(createModelSpec);
export const updateModel = defineAction(updateModelSpec);
export const setModelEnabled = defineAction(setModelEnabledSpec);
export const deleteModel = defineAction(deleteModelSpec);
export const addPrice = defineAction(addPriceSpec);
