import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";

// Reads for the notifications page. The named selects leave out secret_ciphertext and
// smtp_password_ciphertext, so no sealed secret can reach a component (only whether a password is
// set); the URL is shown only to admins (it may carry a token path). Recipients and other people's
// self-subscriptions are admin-only too: finance and viewers see a rule's events and severity, and
// their own subscription.

export const channelSelect = {
  id: true,
  name: true,
  kind: true,
  url: true,
  format: true,
  enabled: true,
  createdAt: true,
  smtpHost: true,
  smtpPort: true,
  smtpTls: true,
  smtpUsername: true,
  smtpPasswordMasterKeyId: true,
  fromAddress: true,
  selfSubscribe: true,
  rules: {
    select: {
      id: true,
      eventKinds: true,
      minSeverity: true,
      enabled: true,
      recipients: true,
      ownerUserId: true,
      owner: { select: { email: true } },
    },
    orderBy: { createdAt: "asc" },
  },
} satisfies Prisma.NotificationChannelSelect;

type ChannelRecord = Prisma.NotificationChannelGetPayload<{ select: typeof channelSelect }>;

export type RuleView = {
  id: string;
  eventKinds: string[];
  minSeverity: ChannelRecord["rules"][number]["minSeverity"];
  enabled: boolean;
  /** Admins: the addresses; others: empty (recipientCount still says how many). */
  recipients: string[];
  recipientCount: number;
  /** A self-subscription: whose (admins see every owner's address, others only their own). */
  subscriber: string | null;
  mine: boolean;
};

export type ChannelRow = Omit<ChannelRecord, "rules" | "smtpPasswordMasterKeyId" | "smtpUsername"> & {
  smtpUsername: string | null;
  passwordSet: boolean;
  rules: RuleView[];
  /** Self-subscriptions of other people (not listed to non-admins). */
  otherSubscribers: number;
  subscribed: boolean;
};

/** Who is reading: admins (full) see everything; others see no recipients and only their own subscription. */
export type Viewer = { userId: string | null; full: boolean };

const RESTRICTED: Viewer = { userId: null, full: false };

function toView(record: ChannelRecord, viewer: Viewer): ChannelRow {
  const { rules, smtpPasswordMasterKeyId, smtpUsername, ...channel } = record;
  const visible: RuleView[] = [];
  let otherSubscribers = 0;
  for (const rule of rules) {
    const mine = rule.ownerUserId !== null && rule.ownerUserId === viewer.userId;
    if (rule.ownerUserId !== null && !mine && !viewer.full) {
      otherSubscribers += 1;
      continue;
    }
    visible.push({
      id: rule.id,
      eventKinds: rule.eventKinds,
      minSeverity: rule.minSeverity,
      enabled: rule.enabled,
      recipients: viewer.full ? rule.recipients : [],
      recipientCount: rule.recipients.length,
      subscriber: rule.owner ? (viewer.full || mine ? rule.owner.email : null) : null,
      mine,
    });
  }
  return {
    ...channel,
    url: viewer.full ? channel.url : channel.url ? new URL(channel.url).host : null,
    smtpUsername: viewer.full ? smtpUsername : null,
    passwordSet: smtpPasswordMasterKeyId !== null,
    rules: visible,
    otherSubscribers,
    subscribed: visible.some((rule) => rule.mine),
  };
}

export async function listChannels(viewer: Viewer = RESTRICTED): Promise<ChannelRow[]> {
  const records = await db.notificationChannel.findMany({ select: channelSelect, orderBy: { name: "asc" } });
  return records.map((record) => toView(record, viewer));
}

export async function getChannel(id: string, viewer: Viewer = RESTRICTED): Promise<ChannelRow | null> {
  const record = await db.notificationChannel.findUnique({ where: { id }, select: channelSelect });
  return record ? toView(record, viewer) : null;
}

export const deliverySelect = {
  id: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  deliveredAt: true,
  lastHttpStatus: true,
  lastError: true,
  createdAt: true,
  outbox: { select: { id: true, kind: true, severity: true, occurredAt: true } },
  attemptLog: {
    select: { attempt: true, at: true, httpStatus: true, latencyMs: true, error: true },
    orderBy: { attempt: "asc" },
  },
} satisfies Prisma.NotificationDeliverySelect;

export type DeliveryRow = Prisma.NotificationDeliveryGetPayload<{ select: typeof deliverySelect }>;

/** The newest deliveries of one channel, each with its attempts (the delivery log). */
export function listDeliveries(channelId: string, take = 100): Promise<DeliveryRow[]> {
  return db.notificationDelivery.findMany({
    where: { channelId },
    select: deliverySelect,
    orderBy: { createdAt: "desc" },
    take,
  });
}
