import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { seal } from "@/lib/crypto/seal";
import { channelSecretAssociatedData } from "@/lib/notifications/channel-secret";
import { writeNotificationEvent } from "@/lib/notifications/outbox";
import { generateWebhookSecret } from "@/lib/notifications/signature";
import { webhookUrlRefusal } from "@/lib/notifications/webhook-url";
import {
  channelIdSchema,
  createChannelSchema,
  createRuleSchema,
  ruleIdSchema,
  setChannelEnabledSchema,
} from "@/lib/notifications/schemas";

// Admins manage channels and rules (notifications:write); finance and viewers read the page. The
// signing secret is generated here, sealed in the same transaction as the row, returned once to
// the creating form and never read back out; audit rows carry the channel's host, not its secret.

const PATHS = ["/notifications"];

/** The channel an action names, or the one not-found error every channel action answers. */
async function channelOrNotFound(tx: Prisma.TransactionClient, id: string) {
  const channel = await tx.notificationChannel.findUnique({
    where: { id },
    select: { id: true, name: true, enabled: true },
  });
  if (!channel) throw notFound("Channel");
  return channel;
}

function hostOf(url: string): string {
  return new URL(url).host;
}

export const createChannelSpec: ActionSpec<typeof createChannelSchema, { id: string; name: string; secret: string }> = {
  name: "notifications.createChannel",
  capability: "notifications:write",
  schema: createChannelSchema,
  revalidate: PATHS,
  successMessage: "Channel created. Copy the signing secret now: it is not shown again.",
  handler: async (input, actor) => {
    const refusal = webhookUrlRefusal(input.url);
    if (refusal) throw new DomainError("INVALID", "Check the highlighted fields.", { url: [refusal] });
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const sealed = seal(secret, channelSecretAssociatedData(id));
    return db.$transaction(async (tx) => {
      const taken = await tx.notificationChannel.findUnique({ where: { name: input.name }, select: { id: true } });
      if (taken)
        throw new DomainError("CONFLICT", "Check the highlighted fields.", { name: ["A channel has this name."] });
      await tx.notificationChannel.create({
        data: {
          id,
          name: input.name,
          url: input.url,
          format: input.format,
          secretCiphertext: sealed.envelope,
          masterKeyId: sealed.keyId,
          createdById: actor.id,
        },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "notification_channel.created",
          targetType: "notification_channel",
          targetId: id,
          details: { name: input.name, kind: "WEBHOOK", host: hostOf(input.url), format: input.format },
        },
        tx,
      );
      return { id, name: input.name, secret };
    });
  },
  secretFields: ["secret"],
};

export const setChannelEnabledSpec: ActionSpec<typeof setChannelEnabledSchema, undefined> = {
  name: "notifications.setChannelEnabled",
  capability: "notifications:write",
  schema: setChannelEnabledSchema,
  revalidate: PATHS,
  successMessage: "Channel updated.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await channelOrNotFound(tx, input.channelId);
      if (channel.enabled === input.enabled) return;
      await tx.notificationChannel.update({ where: { id: channel.id }, data: { enabled: input.enabled } });
      await writeAudit(
        {
          actor,
          action: input.enabled ? "notification_channel.enabled" : "notification_channel.disabled",
          targetType: "notification_channel",
          targetId: channel.id,
          details: { name: channel.name },
        },
        tx,
      );
    }),
};

export const sendTestSpec: ActionSpec<typeof channelIdSchema, { eventId: string }> = {
  name: "notifications.sendTest",
  capability: "notifications:write",
  schema: channelIdSchema,
  revalidate: (input) => [...PATHS, `/notifications/${input.channelId}`],
  successMessage: "Test queued: the worker sends it within seconds; see the delivery log.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await channelOrNotFound(tx, input.channelId);
      const event = await writeNotificationEvent(tx, {
        kind: "notification.test",
        severity: "INFO",
        // Each test is its own event: a click is the condition.
        dedupeKey: `test:${randomUUID()}`,
        channelId: channel.id,
        data: { channel: channel.name, requested_by: actor.email },
        actor,
      });
      return { eventId: event!.id };
    }),
};

export const createRuleSpec: ActionSpec<typeof createRuleSchema, { id: string }> = {
  name: "notifications.createRule",
  capability: "notifications:write",
  schema: createRuleSchema,
  revalidate: PATHS,
  successMessage: "Rule added.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await channelOrNotFound(tx, input.channelId);
      const rule = await tx.notificationRule.create({
        data: { channelId: channel.id, eventKinds: input.eventKinds, minSeverity: input.minSeverity },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "notification_rule.created",
          targetType: "notification_rule",
          targetId: rule.id,
          details: { channel: channel.name, eventKinds: input.eventKinds, minSeverity: input.minSeverity },
        },
        tx,
      );
      return { id: rule.id };
    }),
};

export const deleteRuleSpec: ActionSpec<typeof ruleIdSchema, undefined> = {
  name: "notifications.deleteRule",
  capability: "notifications:write",
  schema: ruleIdSchema,
  revalidate: PATHS,
  successMessage: "Rule removed.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const rule = await tx.notificationRule.findUnique({
        where: { id: input.ruleId },
        select: { id: true, eventKinds: true, minSeverity: true, channel: { select: { name: true } } },
      });
      if (!rule) throw notFound("Rule");
      await tx.notificationRule.delete({ where: { id: rule.id } });
      await writeAudit(
        {
          actor,
          action: "notification_rule.deleted",
          targetType: "notification_rule",
          targetId: rule.id,
          details: { channel: rule.channel.name, eventKinds: rule.eventKinds, minSeverity: rule.minSeverity },
        },
        tx,
      );
    }),
};

export const notificationActionSpecs = [
  createChannelSpec,
  setChannelEnabledSpec,
  sendTestSpec,
  createRuleSpec,
  deleteRuleSpec,
] as const;
