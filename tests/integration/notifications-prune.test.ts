import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db, pool } from "@/lib/db/client";
import { seal } from "@/lib/crypto/seal";
import { channelSecretAssociatedData } from "@/lib/notifications/channel-secret";
import { outboxRetentionDays, pruneNotificationOutbox } from "@/lib/notifications/prune-outbox";
import { letters } from "./test-calls-support";

// The outbox's retention job: events (with their delivery log) past NOTIFY_OUTBOX_RETENTION_DAYS
// are deleted, never one with a delivery still pending, and never sooner than a condition could
// still look for its dedupe key.

const DAY_MS = 86_400_000;
let channelId = "";

beforeAll(async () => {
  channelId = randomUUID();
  const sealed = seal("whsec_prune", channelSecretAssociatedData(channelId));
  // Disabled: no worker of another suite ever sends these events.
  await db.notificationChannel.create({
    data: {
      id: channelId,
      name: `prune-${letters()}`,
      url: "http://127.0.0.1:9/hook",
      secretCiphertext: sealed.envelope,
      masterKeyId: sealed.keyId,
      enabled: false,
    },
  });
});

afterAll(async () => {
  await db.notificationChannel.deleteMany({ where: { id: channelId } });
  delete process.env.NOTIFY_OUTBOX_RETENTION_DAYS;
});

/** One event `daysOld` days old with one delivery in `status`; returns its id. */
async function event(daysOld: number, status: "PENDING" | "DELIVERED" | "FAILED"): Promise<string> {
  const id = randomUUID();
  const at = new Date(Date.now() - daysOld * DAY_MS);
  await pool.query(
    `INSERT INTO notification_outbox (id, kind, severity, dedupe_key, payload, occurred_at, created_at)
     VALUES ($1, 'budget.threshold_reached', 'WARNING', $2, '{}'::jsonb, $3, $3)`,
    [id, `prune-test:${id}`, at],
  );
  await pool.query(
    `INSERT INTO notification_deliveries (id, outbox_id, channel_id, status, attempts, next_attempt_at)
     VALUES ($1, $2, $3, $4::"NotificationDeliveryStatus", 1, $5)`,
    [randomUUID(), id, channelId, status, at],
  );
  return id;
}

const remaining = async (ids: string[]) =>
  (await db.notificationOutbox.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id);

describe("notification outbox retention", () => {
  test("events past the retention go with their deliveries; pending ones and recent ones stay", async () => {
    const delivered = await event(100, "DELIVERED");
    const failed = await event(100, "FAILED");
    const pending = await event(100, "PENDING");
    const seventy = await event(70, "DELIVERED");
    const recent = await event(30, "DELIVERED");
    const ids = [delivered, failed, pending, seventy, recent];

    expect(outboxRetentionDays({})).toBe(90);
    expect(await pruneNotificationOutbox()).toBeGreaterThanOrEqual(2);
    expect((await remaining(ids)).sort()).toEqual([pending, seventy, recent].sort());
    expect(await db.notificationDelivery.count({ where: { outboxId: { in: [delivered, failed] } } })).toBe(0);
    expect(await db.notificationDelivery.count({ where: { outboxId: { in: [pending, seventy, recent] } } })).toBe(3);

    // A shorter retention is raised to the floor of 62 days: the 70-day event goes, the 30-day one stays.
    process.env.NOTIFY_OUTBOX_RETENTION_DAYS = "10";
    expect(outboxRetentionDays()).toBe(62);
    await pruneNotificationOutbox();
    expect((await remaining(ids)).sort()).toEqual([pending, recent].sort());
  });

  test("the floor follows the key-expiry window: an expired key's event outlives the window it is looked for in", () => {
    expect(outboxRetentionDays({ NOTIFY_OUTBOX_RETENTION_DAYS: "30", NOTIFY_KEY_EXPIRY_DAYS: "60" })).toBe(121);
    expect(outboxRetentionDays({ NOTIFY_OUTBOX_RETENTION_DAYS: "400" })).toBe(400);
    expect(outboxRetentionDays({ NOTIFY_OUTBOX_RETENTION_DAYS: "not a number" })).toBe(90);
  });
});
