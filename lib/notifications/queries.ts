import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";

// Reads for the notifications page. The named selects leave out secret_ciphertext, so the sealed
// secret cannot reach a component; the URL is shown only to admins (it may carry a token path).

export const channelSelect = {
  id: true,
  name: true,
  kind: true,
  url: true,
  format: true,
  enabled: true,
  createdAt: true,
  rules: { select: { id: true, eventKinds: true, minSeverity: true, enabled: true }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.NotificationChannelSelect;

export type ChannelRow = Prisma.NotificationChannelGetPayload<{ select: typeof channelSelect }>;

export function listChannels(): Promise<ChannelRow[]> {
  return db.notificationChannel.findMany({ select: channelSelect, orderBy: { name: "asc" } });
}

export function getChannel(id: string): Promise<ChannelRow | null> {
  return db.notificationChannel.findUnique({ where: { id }, select: channelSelect });
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
