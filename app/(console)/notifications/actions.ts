"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  createChannelSpec,
  createEmailChannelSpec,
  createRuleSpec,
  deleteRuleSpec,
  rotateChannelSecretSpec,
  sendTestSpec,
  setChannelEnabledSpec,
  setSelfSubscribeSpec,
  setSmtpPasswordSpec,
  subscribeSpec,
  unsubscribeSpec,
} from "@/lib/notifications/action-specs";

// Admin-only (notifications:write), checked by defineAction on every call.
export const createChannel = defineAction(createChannelSpec);
export const createEmailChannel = defineAction(createEmailChannelSpec);
export const setChannelEnabled = defineAction(setChannelEnabledSpec);
export const setSmtpPassword = defineAction(setSmtpPasswordSpec);
export const rotateChannelSecret = defineAction(rotateChannelSecretSpec);
export const setSelfSubscribe = defineAction(setSelfSubscribeSpec);
export const sendTest = defineAction(sendTestSpec);
export const createRule = defineAction(createRuleSpec);
export const deleteRule = defineAction(deleteRuleSpec);
// Finance and admins (notifications:subscribe): their own address only.
export const subscribe = defineAction(subscribeSpec);
export const unsubscribe = defineAction(unsubscribeSpec);
