"use server";

import { defineAction } from "@/lib/actions/define-action";
import { startTestAllSpec, updateHealthSettingsSpec } from "@/lib/health-checks/action-specs";

export const startTestAll = defineAction(startTestAllSpec);
export const updateHealthSettings = defineAction(updateHealthSettingsSpec);
