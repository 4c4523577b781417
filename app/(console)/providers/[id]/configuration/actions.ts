"use server";

import { defineAction } from "@/lib/actions/define-action";
import { rollbackConfigSpec, saveConfigSpec } from "@/lib/config/action-specs";

// Each action checks the session and providers:write itself (defineAction): a hand-made POST
// from a FINANCE or VIEWER session is refused like the form would be.
export const saveConfig = defineAction(saveConfigSpec);
export const rollbackConfig = defineAction(rollbackConfigSpec);
