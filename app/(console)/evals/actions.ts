"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  cancelRunSpec,
  createDatasetSpec,
  createRunSpec,
  deleteCaseSpec,
  importVersionSpec,
  resumeRunSpec,
  saveCaseSpec,
  startRunSpec,
} from "@/lib/evals/action-specs";

// Admin-only (evals:write), checked by defineAction on every call.
export const createDataset = defineAction(createDatasetSpec);
export const importVersion = defineAction(importVersionSpec);
export const saveCase = defineAction(saveCaseSpec);
export const deleteCase = defineAction(deleteCaseSpec);
export const createRun = defineAction(createRunSpec);
export const startRun = defineAction(startRunSpec);
export const cancelRun = defineAction(cancelRunSpec);
export const resumeRun = defineAction(resumeRunSpec);
