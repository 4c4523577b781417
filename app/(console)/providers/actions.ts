"use server";

import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/actions/result";
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
export const restoreProvider = defineAction(restoreProviderSpec);
export const createModel = defineAction(createModelSpec);
export const updateModel = defineAction(updateModelSpec);
export const setModelEnabled = defineAction(setModelEnabledSpec);
export const addPrice = defineAction(addPriceSpec);

// After a delete the page the person is on no longer exists, and re-rendering it would show the
// not-found page: these two send the browser on to the page that still does.
const deleteProviderAction = defineAction(deleteProviderSpec);
const deleteModelAction = defineAction(deleteModelSpec);

export async function deleteProvider(
  previous: ActionResult<{ outcome: "archived" | "deleted" }> | undefined,
  input: FormData | unknown,
) {
  const result = await deleteProviderAction(previous, input);
  if (result.ok && result.data?.outcome === "deleted") redirect("/providers");
  return result;
}

export async function deleteModel(previous: ActionResult<void> | undefined, input: FormData | unknown) {
  const result = await deleteModelAction(previous, input);
  const providerId = input instanceof FormData ? input.get("providerId") : null;
  if (result.ok && typeof providerId === "string") redirect(`/providers/${encodeURIComponent(providerId)}`);
  return result;
}
