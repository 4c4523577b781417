"use server";

import { defineAction } from "@/lib/actions/define-action";
import { repriceUnpricedSpec } from "@/lib/usage/action-specs";
import { runRetentionSpec, setRetentionSpec } from "@/lib/usage/retention-action-specs";

// Each checks the caller's role itself (defineAction): reprice needs prices:write, retention settings:write.
export const repriceUnpriced = defineAction(repriceUnpricedSpec);
export const setRetention = defineAction(setRetentionSpec);
export const runRetention = defineAction(runRetentionSpec);
