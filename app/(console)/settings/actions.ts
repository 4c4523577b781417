"use server";

import { defineAction } from "@/lib/actions/define-action";
import { rewrapBatchSpec } from "@/lib/keys/rewrap-action-spec";

export const rewrapMasterKeyBatch = defineAction(rewrapBatchSpec);
