"use server";

import { defineAction } from "@/lib/actions/define-action";
import { deleteBudgetSpec, setBudgetSpec } from "@/lib/usage/budget-action-specs";

// Admin-only (settings:write), checked by defineAction on every call.
export const setBudget = defineAction(setBudgetSpec);
export const deleteBudget = defineAction(deleteBudgetSpec);
