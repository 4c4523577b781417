"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  importModelsSpec,
  listImportableModelsSpec,
  testKeyCallSpec,
  testModelCallSpec,
} from "@/lib/test-calls/action-specs";

export const testKeyCall = defineAction(testKeyCallSpec);
export const testModelCall = defineAction(testModelCallSpec);
export const listImportableModels = defineAction(listImportableModelsSpec);
export const importModels = defineAction(importModelsSpec);
