import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runDeliveryWorker } from "@/lib/notifications/deliver";
import { createEmailChannelSpec, rotateChannelSecretSpec, sendTestSpec } from "@/lib/notifications/action-specs";
import { createActor } from "../support/actors";
import { createChannelFor, startReceiver, waitFor, type Receiver } from "./notifications-support";
import { letters } from "./test-calls-support";

// Rotating a webhook channel's signing secret: the new one is returned once, sealed like the
// first, and every delivery after the rotation is signed with it (a receiver still holding the old
// one rejects it); the audit row names the channel, never a secret.

let admin: Actor;
let receiver: Receiver;

beforeAll(async () => {
  admin = await createActor("ADMIN");
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

describe("webhook signing secret rotation", () => {
  test("after a rotation deliveries are signed with the new secret only; the audit holds no secret", async () => {
    const { channelId, secret: old } = await createChannelFor(admin, receiver, null);
    const refused = await executeAction(rotateChannelSecretSpec, admin, { channelId });
    expect(refused.ok).toBe(false);
    expect(refused.fieldErrors?.confirm?.[0]).toMatch(/Tick the box/);

    const rotated = await executeAction(rotateChannelSecretSpec, admin, { channelId, confirm: "on" });
    expect(rotated.ok, rotated.message).toBe(true);
    const fresh = rotated.data!.secret;
    expect(fresh).not.toBe(old);
    expect(fresh.length).toBe(old.length);
    const row = await db.notificationChannel.findUniqueOrThrow({
      where: { id: channelId },
      select: { secretCiphertext: true },
    });
    expect(row.secretCiphertext).not.toContain(fresh);

    receiver.setSecret(fresh);
    const before = receiver.received.length;
    const sent = await executeAction(sendTestSpec, admin, { channelId });
    expect(sent.ok, sent.message).toBe(true);
    await waitFor(async () => {
      await runDeliveryWorker();
      return receiver.received.length > before;
    });
    const delivery = receiver.received.at(-1)!;
    expect(delivery.eventId).toBe(sent.data!.eventId);
    // The receiver verifies with the new secret (a signature made with the old one fails there).
    expect(delivery.signatureValid).toBe(true);

    const audits = await db.auditEvent.findMany({
      where: { targetId: channelId, action: "notification_channel.secret_rotated" },
      select: { details: true },
    });
    expect(audits).toHaveLength(1);
    const details = JSON.stringify(audits[0]!.details);
    expect(details).toContain("127.0.0.1");
    for (const secret of [old, fresh]) expect(details).not.toContain(secret);
  });

  test("an email channel has no signing secret to rotate", async () => {
    const created = await executeAction(createEmailChannelSpec, admin, {
      name: `mail-${letters()}`,
      smtpHost: "127.0.0.1",
      smtpPort: "2525",
      smtpTls: "NONE",
      fromAddress: "console@example.test",
    });
    expect(created.ok, created.message).toBe(true);
    const refused = await executeAction(rotateChannelSecretSpec, admin, { channelId: created.data!.id, confirm: "on" });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/only webhook channels/);
  });
});
