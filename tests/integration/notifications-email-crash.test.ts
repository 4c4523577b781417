import { afterAll, beforeAll, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { createEmailChannelSpec, createRuleSpec } from "@/lib/notifications/action-specs";
import { writeNotificationEvent } from "@/lib/notifications/outbox";
import { createActor } from "../support/actors";
import { startTestSmtp, type TestSmtp } from "../support/test-smtp";
import { waitFor } from "./notifications-support";
import { startWorkerProcess, type WorkerProcess } from "./notifications-process";
import { letters } from "./test-calls-support";

// Email across a crash, as notifications-crash.test.ts does for webhooks: events committed to the
// outbox, a worker process mailing them to a slow SMTP server (AUTH with the sealed password) is
// SIGKILLed mid-way, a second worker mails what is pending. Every event id arrives; after
// deduplicating by X-Console-Event-Id each arrives once, and a message sent twice (the one whose
// reply was in flight at the kill) carries the same Message-ID both times.

const EVENTS = 16;
let admin: Actor;
let smtp: TestSmtp;
let channelId: string;
const password = `pw-crash-${letters()}`;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  admin = await createActor("ADMIN");
  smtp = await startTestSmtp({ credentials: { user: "crash-mailer", password }, delayMs: 150 });
  const created = await executeAction(createEmailChannelSpec, admin, {
    name: `crash-mail-${letters()}`,
    smtpHost: smtp.host,
    smtpPort: String(smtp.port),
    smtpTls: "NONE",
    smtpUsername: "crash-mailer",
    smtpPassword: password,
    fromAddress: "console@example.test",
  });
  channelId = created.data!.id;
  await executeAction(createRuleSpec, admin, {
    channelId,
    eventKinds: ["notification.test"],
    recipients: "ops@example.test",
  });
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  await db.notificationChannel.update({ where: { id: channelId }, data: { enabled: false } });
  await smtp.close();
});

test("a worker killed mid-delivery loses no mail: the next one sends the rest, each event id once after dedupe", async () => {
  const ids: string[] = [];
  for (let index = 0; index < EVENTS; index += 1) {
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "notification.test",
        severity: "INFO",
        dedupeKey: `email-crash:${channelId}:${index}`,
        data: { index },
      }),
    );
    expect(event?.deliveries).toBe(1);
    ids.push(event!.id);
  }
  const env = { NOTIFY_WORKER_INTERVAL_MS: "50", NOTIFY_RETRY_BASE_MS: "100" };
  const first = startWorkerProcess([], env);
  workers.push(first);
  await waitFor(() => smtp.received.length >= 4, 40_000, "the first worker's mails");
  first.child.kill("SIGKILL");
  await first.exited;
  const delivered = () => db.notificationDelivery.count({ where: { channelId, status: "DELIVERED" } });
  const deliveredAtKill = await delivered();
  expect(deliveredAtKill).toBeLessThan(EVENTS);

  const second = startWorkerProcess([], env);
  workers.push(second);
  await waitFor(async () => (await delivered()) === EVENTS, 40_000, "the second worker to send the rest");
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  expect(smtp.uniqueEventIds()).toEqual(new Set(ids));
  const duplicates = smtp.received.length - smtp.uniqueEventIds().size;
  expect(duplicates).toBeLessThanOrEqual(1);
  // One Message-ID per event, whichever attempt delivered it.
  const messageIds = new Map<string, Set<string>>();
  for (const mail of smtp.received)
    messageIds.set(mail.eventId, (messageIds.get(mail.eventId) ?? new Set()).add(mail.messageId));
  expect([...messageIds.values()].every((set) => set.size === 1)).toBe(true);
  expect(smtp.received.every((mail) => mail.user === "crash-mailer" && mail.rcptTo.join() === "ops@example.test")).toBe(
    true,
  );
  expect(first.output() + second.output()).not.toContain(password);
  console.log(JSON.stringify({ events: EVENTS, deliveredAtKill, mails: smtp.received.length, duplicates }));
}, 58_000);
