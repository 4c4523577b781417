"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  createChannelSpec,
  createRuleSpec,
  deleteRuleSpec,
  sendTestSpec,
  setChannelEnabledSpec,
} from "@/lib/notifications/action-specs";

// Admin-only (notifications:write), checked by defineAction on every call.
export const createChannel = defineAction(createChannelSpec);
export const setChannelEnabled = defineAction(setChannelEnabledSpec);
export const sendTest = defineAction(sendTestSpec);
export const createRule = defineAction(createRuleSpec);
export const deleteRule = defineAction(deleteRuleSpec);
