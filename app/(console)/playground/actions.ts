"use server";

import { defineAction } from "@/lib/actions/define-action";
import { updateTranscriptSettingsSpec } from "@/lib/health-checks/action-specs";

export const updateTranscriptSettings = defineAction(updateTranscriptSettingsSpec);
