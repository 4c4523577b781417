"use server";

import { defineAction } from "@/lib/actions/define-action";
import { cancelJobSpec, createJobSpec } from "@/lib/fine-tuning/action-specs";

// Admin-only (fine-tuning:write), checked by defineAction on every call.
export const createFineTuneJob = defineAction(createJobSpec);
export const cancelFineTuneJob = defineAction(cancelJobSpec);
