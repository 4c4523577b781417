"use server";

import { defineAction } from "@/lib/actions/define-action";
import { createIngestTokenSpec, revokeIngestTokenSpec } from "@/lib/ingest/action-specs";

// Admin-only (settings:write), checked by defineAction on every call.
export const createIngestToken = defineAction(createIngestTokenSpec);
export const revokeIngestToken = defineAction(revokeIngestTokenSpec);
