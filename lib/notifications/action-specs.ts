import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { seal } from "@/lib/crypto/seal";
import { channelSecretAssociatedData, smtpPasswordAssociatedData } from "@/lib/notifications/channel-secret";
import { writeNotificationEvent } from "@/lib/notifications/outbox";
import { generateWebhookSecret } from "@/lib/notifications/signature";
import { hostRefusal, webhookUrlRefusal } from "@/lib/notifications/webhook-url";
import { smtpHostRefusal } from "@/lib/notifications/send-email";
import {
  channelIdSchema,
  createChannelSchema,
  createEmailChannelSchema,
  createRuleSchema,
  rotateChannelSecretSchema,
  ruleIdSchema,
  setChannelEnabledSchema,
  setSelfSubscribeSchema,
  setSmtpPasswordSchema,
} from "@/lib/notifications/schemas";

// Admins manage channels and rules (notifications:write); finance and viewers read the page. The
// signing secret is generated here, sealed in the same transaction as the row, returned once to
// the creating form and never read back out; audit rows carry the channel's host, not its secret.
// An email channel's SMTP password is sealed the same way (its own binding) and never returned.
// FINANCE and ADMIN users subscribe themselves (notifications:subscribe) to budget events on an
// email channel an admin opened for it: the rule is theirs (owner_user_id) and mails their own
// current address, which is never taken from the input.

const PATHS = ["/notifications"];

/** The channel an action names, or the one not-found error every channel action answers. */
async function channelOrNotFound(tx: Prisma.TransactionClient, id: string) {
  const channel = await tx.notificationChannel.findUnique({
    where: { id },
    select: { id: true, name: true, enabled: true, kind: true, selfSubscribe: true },
  });
  if (!channel) throw notFound("Channel");
  return channel;
}

/** The email channel an action names; a webhook channel is refused as not applicable. */
async function emailChannelOrNotFound(tx: Prisma.TransactionClient, id: string) {
  const channel = await channelOrNotFound(tx, id);
  if (channel.kind !== "EMAIL")
    throw new DomainError("INVALID", "That is a webhook channel; this applies to email channels only.");
  return channel;
}

const BUDGET_KIND = "budget.threshold_reached";

function hostOf(url: string): string {
  return new URL(url).host;
}

function fieldError(field: string, message: string): DomainError {
  return new DomainError("INVALID", "Check the highlighted fields.", { [field]: [message] });
}

/** Creates a channel under a free name and audits it (never with its secret or password). */
async function insertChannel(
  tx: Prisma.TransactionClient,
  actor: Actor,
  channel: Omit<Prisma.NotificationChannelUncheckedCreateInput, "createdById"> & { id: string; name: string },
  details: Record<string, unknown>,
): Promise<void> {
  const taken = await tx.notificationChannel.findUnique({ where: { name: channel.name }, select: { id: true } });
  if (taken) throw new DomainError("CONFLICT", "Check the highlighted fields.", { name: ["A channel has this name."] });
  await tx.notificationChannel.create({ data: { ...channel, createdById: actor.id }, select: { id: true } });
  await writeAudit(
    {
      actor,
      action: "notification_channel.created",
      targetType: "notification_channel",
      targetId: channel.id,
      details: { name: channel.name, ...details },
    },
    tx,
  );
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
      await insertChannel(
        tx,
        actor,
        {
          id,
          name: input.name,
          url: input.url,
          format: input.format,
          secretCiphertext: sealed.envelope,
          masterKeyId: sealed.keyId,
        },
        { kind: "WEBHOOK", host: hostOf(input.url), format: input.format },
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
      if (channel.kind === "EMAIL" && input.recipients.length === 0)
        throw fieldError("recipients", "Enter at least one email address.");
      if (channel.kind === "WEBHOOK" && input.recipients.length > 0)
        throw fieldError("recipients", "A webhook channel has no recipients; leave this empty.");
      const rule = await tx.notificationRule.create({
        data: {
          channelId: channel.id,
          eventKinds: input.eventKinds,
          minSeverity: input.minSeverity,
          recipients: input.recipients,
        },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "notification_rule.created",
          targetType: "notification_rule",
          targetId: rule.id,
          details: {
            channel: channel.name,
            eventKinds: input.eventKinds,
            minSeverity: input.minSeverity,
            recipients: input.recipients,
          },
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
        select: {
          id: true,
          eventKinds: true,
          minSeverity: true,
          recipients: true,
          owner: { select: { email: true } },
          channel: { select: { name: true } },
        },
      });
      if (!rule) throw notFound("Rule");
      await tx.notificationRule.delete({ where: { id: rule.id } });
      await writeAudit(
        {
          actor,
          action: "notification_rule.deleted",
          targetType: "notification_rule",
          targetId: rule.id,
          details: {
            channel: rule.channel.name,
            eventKinds: rule.eventKinds,
            minSeverity: rule.minSeverity,
            recipients: rule.recipients,
            ...(rule.owner ? { subscriber: rule.owner.email } : {}),
          },
        },
        tx,
      );
    }),
};

export const createEmailChannelSpec: ActionSpec<typeof createEmailChannelSchema, { id: string; name: string }> = {
  name: "notifications.createEmailChannel",
  capability: "notifications:write",
  schema: createEmailChannelSchema,
  revalidate: PATHS,
  successMessage: "Email channel created. Add a rule with recipients, then Send test.",
  secretFields: ["smtpPassword"],
  handler: async (input, actor) => {
    const hostProblem = hostRefusal(input.smtpHost);
    if (hostProblem) throw fieldError("smtpHost", hostProblem);
    const tlsProblem = smtpHostRefusal(input.smtpHost, input.smtpTls);
    if (tlsProblem) throw fieldError("smtpTls", tlsProblem);
    const id = randomUUID();
    const sealed = input.smtpPassword ? seal(input.smtpPassword, smtpPasswordAssociatedData(id)) : null;
    return db.$transaction(async (tx) => {
      await insertChannel(
        tx,
        actor,
        {
          id,
          name: input.name,
          kind: "EMAIL",
          smtpHost: input.smtpHost,
          smtpPort: input.smtpPort,
          smtpTls: input.smtpTls,
          smtpUsername: input.smtpUsername,
          smtpPasswordCiphertext: sealed?.envelope ?? null,
          smtpPasswordMasterKeyId: sealed?.keyId ?? null,
          fromAddress: input.fromAddress,
          selfSubscribe: input.selfSubscribe,
        },
        {
          kind: "EMAIL",
          host: `${input.smtpHost}:${input.smtpPort}`,
          tls: input.smtpTls,
          from: input.fromAddress,
          username: input.smtpUsername,
          passwordSet: sealed !== null,
          selfSubscribe: input.selfSubscribe,
        },
      );
      return { id, name: input.name };
    });
  },
};

export const setSmtpPasswordSpec: ActionSpec<typeof setSmtpPasswordSchema, undefined> = {
  name: "notifications.setSmtpPassword",
  capability: "notifications:write",
  schema: setSmtpPasswordSchema,
  revalidate: (input) => [...PATHS, `/notifications/${input.channelId}`],
  successMessage: "Credentials replaced. The password is sealed and not shown again.",
  secretFields: ["smtpPassword"],
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await emailChannelOrNotFound(tx, input.channelId);
      const sealed = seal(input.smtpPassword, smtpPasswordAssociatedData(channel.id));
      await tx.notificationChannel.update({
        where: { id: channel.id },
        data: {
          smtpUsername: input.smtpUsername,
          smtpPasswordCiphertext: sealed.envelope,
          smtpPasswordMasterKeyId: sealed.keyId,
        },
      });
      await writeAudit(
        {
          actor,
          action: "notification_channel.smtp_password_replaced",
          targetType: "notification_channel",
          targetId: channel.id,
          details: { name: channel.name, username: input.smtpUsername },
        },
        tx,
      );
    }),
};

export const rotateChannelSecretSpec: ActionSpec<typeof rotateChannelSecretSchema, { secret: string }> = {
  name: "notifications.rotateChannelSecret",
  capability: "notifications:write",
  schema: rotateChannelSecretSchema,
  revalidate: (input) => [...PATHS, `/notifications/${input.channelId}`],
  successMessage:
    "New signing secret created. Copy it now: it is not shown again. Deliveries from now on are signed with it.",
  secretFields: ["secret"],
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await channelOrNotFound(tx, input.channelId);
      if (channel.kind !== "WEBHOOK")
        throw new DomainError("INVALID", "That is an email channel; only webhook channels have a signing secret.");
      // Locked with the update: a delivery signed after this commit uses the new secret.
      const secret = generateWebhookSecret();
      const sealed = seal(secret, channelSecretAssociatedData(channel.id));
      const row = await tx.notificationChannel.update({
        where: { id: channel.id },
        data: { secretCiphertext: sealed.envelope, masterKeyId: sealed.keyId },
        select: { url: true },
      });
      await writeAudit(
        {
          actor,
          action: "notification_channel.secret_rotated",
          targetType: "notification_channel",
          targetId: channel.id,
          details: { name: channel.name, host: row.url ? hostOf(row.url) : null },
        },
        tx,
      );
      return { secret };
    }),
};

export const setSelfSubscribeSpec: ActionSpec<typeof setSelfSubscribeSchema, undefined> = {
  name: "notifications.setSelfSubscribe",
  capability: "notifications:write",
  schema: setSelfSubscribeSchema,
  revalidate: PATHS,
  successMessage: "Channel updated.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await emailChannelOrNotFound(tx, input.channelId);
      if (channel.selfSubscribe === input.selfSubscribe) return;
      // Closing keeps the subscriptions but stops mailing them (outbox and worker check the flag).
      await tx.notificationChannel.update({ where: { id: channel.id }, data: { selfSubscribe: input.selfSubscribe } });
      await writeAudit(
        {
          actor,
          action: input.selfSubscribe
            ? "notification_channel.self_subscribe_opened"
            : "notification_channel.self_subscribe_closed",
          targetType: "notification_channel",
          targetId: channel.id,
          details: { name: channel.name },
        },
        tx,
      );
    }),
};

/** The channel a self-subscription names: an email channel an admin opened for it. */
async function openChannelOrRefuse(tx: Prisma.TransactionClient, id: string) {
  const channel = await channelOrNotFound(tx, id);
  if (channel.kind !== "EMAIL" || !channel.selfSubscribe)
    throw new DomainError("INVALID", "This channel is not open for subscriptions.");
  return channel;
}

export const subscribeSpec: ActionSpec<typeof channelIdSchema, { ruleId: string }> = {
  name: "notifications.subscribe",
  capability: "notifications:subscribe",
  schema: channelIdSchema,
  revalidate: PATHS,
  successMessage: "Subscribed: budget alerts on this channel now reach your address.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await openChannelOrRefuse(tx, input.channelId);
      const existing = await tx.notificationRule.findUnique({
        where: { channelId_ownerUserId: { channelId: channel.id, ownerUserId: actor.id } },
        select: { id: true },
      });
      if (existing) return { ruleId: existing.id };
      // The address is the subscriber's own (resolved from users at send time), never an input.
      const rule = await tx.notificationRule.create({
        data: { channelId: channel.id, ownerUserId: actor.id, eventKinds: [BUDGET_KIND], minSeverity: "INFO" },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "notification_rule.subscribed",
          targetType: "notification_rule",
          targetId: rule.id,
          details: { channel: channel.name, subscriber: actor.email, eventKinds: [BUDGET_KIND] },
        },
        tx,
      );
      return { ruleId: rule.id };
    }),
};

export const unsubscribeSpec: ActionSpec<typeof channelIdSchema, undefined> = {
  name: "notifications.unsubscribe",
  capability: "notifications:subscribe",
  schema: channelIdSchema,
  revalidate: PATHS,
  successMessage: "Unsubscribed.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const channel = await channelOrNotFound(tx, input.channelId);
      // Only the caller's own rule: the where clause names the owner, whatever the input says.
      const rule = await tx.notificationRule.findUnique({
        where: { channelId_ownerUserId: { channelId: channel.id, ownerUserId: actor.id } },
        select: { id: true },
      });
      if (!rule) return;
      await tx.notificationRule.delete({ where: { id: rule.id } });
      await writeAudit(
        {
          actor,
          action: "notification_rule.unsubscribed",
          targetType: "notification_rule",
          targetId: rule.id,
          details: { channel: channel.name, subscriber: actor.email },
        },
        tx,
      );
    }),
};

export const notificationActionSpecs = [
  createChannelSpec,
  createEmailChannelSpec,
  setChannelEnabledSpec,
  setSmtpPasswordSpec,
  rotateChannelSecretSpec,
  setSelfSubscribeSpec,
  sendTestSpec,
  createRuleSpec,
  deleteRuleSpec,
  subscribeSpec,
  unsubscribeSpec,
] as const;
