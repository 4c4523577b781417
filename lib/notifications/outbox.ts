import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { writeAudit, type AuditInput } from "@/lib/audit/write-audit";
import { ROLES, can } from "@/lib/auth/roles";
import type { Severity } from "@/lib/notifications/events";

// Writing an event: always inside the caller's transaction, so the event exists exactly when the
// change that caused it committed. The dedupe key (condition + period, e.g.
// "budget:team:<id>:2026-12:80") is unique: two instances seeing the same condition race on
// INSERT ... ON CONFLICT DO NOTHING and one row wins. The delivery rows for every matching rule
// are created in the same statement's transaction, so a committed event is never left unrouted.

type Tx = Prisma.TransactionClient;

// A self-subscription (a rule with an owner) counts while its owner is enabled, still holds a
// role that may subscribe, and the channel is still open for subscriptions.
export const SUBSCRIBER_ROLES: string[] = ROLES.filter((role) => can(role, "notifications:subscribe"));

export type NewEvent = {
  kind: string;
  severity: Severity;
  dedupeKey: string;
  data: Record<string, unknown>;
  occurredAt?: Date;
  /** Only this channel (a channel's test message); otherwise every channel whose rules match. */
  channelId?: string;
  actor?: AuditInput["actor"];
};

export type WrittenEvent = { id: string; deliveries: number };

/** Writes the event unless its dedupe key exists; returns null when it already did. */
export async function writeNotificationEvent(tx: Tx, event: NewEvent): Promise<WrittenEvent | null> {
  const id = randomUUID();
  const occurredAt = event.occurredAt ?? new Date();
  const inserted = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    INSERT INTO notification_outbox (id, kind, severity, dedupe_key, payload, channel_id, occurred_at)
    VALUES (${id}::uuid, ${event.kind}, ${event.severity}::"NotificationSeverity", ${event.dedupeKey},
      ${JSON.stringify(event.data)}::jsonb, ${event.channelId ?? null}::uuid, ${occurredAt})
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id::text`);
  if (inserted.length === 0) return null;
  const deliveries = event.channelId
    ? await tx.$executeRaw(Prisma.sql`
        INSERT INTO notification_deliveries (id, outbox_id, channel_id)
        SELECT gen_random_uuid(), ${id}::uuid, c.id FROM notification_channels c
        WHERE c.id = ${event.channelId}::uuid
        ON CONFLICT (outbox_id, channel_id) DO NOTHING`)
    : await tx.$executeRaw(Prisma.sql`
        INSERT INTO notification_deliveries (id, outbox_id, channel_id)
        SELECT gen_random_uuid(), ${id}::uuid, c.id FROM notification_channels c
        WHERE c.enabled AND EXISTS (
          SELECT 1 FROM notification_rules r
          WHERE r.channel_id = c.id AND r.enabled
            AND (r.owner_user_id IS NULL OR (c.self_subscribe AND EXISTS (
              SELECT 1 FROM users u WHERE u.id = r.owner_user_id AND NOT u.disabled
                AND u.role::text = ANY(${SUBSCRIBER_ROLES}::text[]))))
            AND (coalesce(cardinality(r.event_kinds), 0) = 0 OR ${event.kind} = ANY(r.event_kinds))
            AND ${event.severity}::"NotificationSeverity" >= r.min_severity)
        ON CONFLICT (outbox_id, channel_id) DO NOTHING`);
  await writeAudit(
    {
      actor: event.actor ?? null,
      action: "notification.event",
      targetType: "notification_event",
      targetId: id,
      details: { kind: event.kind, severity: event.severity, dedupeKey: event.dedupeKey, deliveries, ...event.data },
    },
    tx,
  );
  return { id, deliveries };
}
