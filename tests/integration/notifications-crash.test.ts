import { afterAll, beforeAll, expect, test } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { writeNotificationEvent } from "@/lib/notifications/outbox";
import { createActor } from "../support/actors";
import { createChannelFor, startReceiver, waitFor, type Receiver } from "./notifications-support";
import { startWorkerProcess, type WorkerProcess } from "./notifications-process";
import { ensureBuild, startConsole, type ConsoleProcess } from "./faults-support";

// Exactly once from the receiver's view across a crash: events are committed to the outbox, a
// worker process starts delivering them to a slow receiver and is SIGKILLed mid-way (an answer
// in flight), a second worker process picks up what is pending. Every event arrives, signed, and
// after deduplicating by the event id each arrives exactly once; only an event whose answer was
// in flight at the kill may arrive twice, with the same id.

const EVENTS = 24;
let admin: Actor;
let hook: Receiver;
let channelId: string;
let secret: string;
const workers: WorkerProcess[] = [];
const consoles: ConsoleProcess[] = [];
const extraChannels: string[] = [];
const extraReceivers: Receiver[] = [];

ensureBuild();

beforeAll(async () => {
  admin = await createActor("ADMIN");
  // Slow answers keep the worker busy long enough to be killed between writing and delivering.
  hook = await startReceiver({ delayMs: 120 });
  ({ channelId, secret } = await createChannelFor(admin, hook, { eventKinds: ["notification.test"] }));
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  for (const server of consoles) if (server.alive()) server.child.kill("SIGKILL");
  for (const id of [channelId, ...extraChannels])
    await db.notificationChannel.update({ where: { id }, data: { enabled: false } });
  await hook.close();
  for (const receiver of extraReceivers) await receiver.close();
});

test("a worker killed mid-delivery loses nothing: the next worker delivers the rest, each id once after dedupe", async () => {
  const ids: string[] = [];
  for (let index = 0; index < EVENTS; index += 1) {
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "notification.test",
        severity: "INFO",
        dedupeKey: `crash:${channelId}:${index}`,
        data: { index },
      }),
    );
    expect(event?.deliveries).toBe(1);
    ids.push(event!.id);
  }
  const env = { NOTIFY_WORKER_INTERVAL_MS: "50", NOTIFY_RETRY_BASE_MS: "100" };
  const first = startWorkerProcess([], env);
  workers.push(first);
  await waitFor(() => hook.received.length >= 5, 40_000, "the first worker's deliveries");
  // Killed while an answer is outstanding: the receiver has the request, the worker no record of it.
  first.child.kill("SIGKILL");
  await first.exited;
  const deliveredAtKill = await db.notificationDelivery.count({ where: { channelId, status: "DELIVERED" } });
  expect(deliveredAtKill).toBeLessThan(EVENTS);
  expect(await db.notificationDelivery.count({ where: { channelId, status: "PENDING" } })).toBeGreaterThan(0);

  const second = startWorkerProcess([], env);
  workers.push(second);
  await waitFor(
    async () => (await db.notificationDelivery.count({ where: { channelId, status: "DELIVERED" } })) === EVENTS,
    40_000,
    "the second worker to deliver the rest",
  );
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  expect(hook.received.every((entry) => entry.signatureValid)).toBe(true);
  expect(hook.uniqueIds()).toEqual(new Set(ids));
  const duplicates = hook.received.length - hook.uniqueIds().size;
  // At most the one request in flight per channel when the worker died.
  expect(duplicates).toBeLessThanOrEqual(1);
  for (const entry of hook.received) expect(JSON.parse(entry.body).id).toBe(entry.eventId);
  expect(first.output() + second.output()).not.toContain(secret);
  console.log(JSON.stringify({ events: EVENTS, deliveredAtKill, requests: hook.received.length, duplicates }));
}, 58_000);

test("a console killed mid-delivery and started again delivers every event, each id once after dedupe", async () => {
  const receiver = await startReceiver({ delayMs: 120 });
  extraReceivers.push(receiver);
  const created = await createChannelFor(admin, receiver, { eventKinds: ["notification.test"] });
  extraChannels.push(created.channelId);
  const ids: string[] = [];
  for (let index = 0; index < EVENTS; index += 1) {
    const event = await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "notification.test",
        severity: "INFO",
        dedupeKey: `console-crash:${created.channelId}:${index}`,
        data: { index },
      }),
    );
    ids.push(event!.id);
  }
  // The console's own worker (instrumentation.ts), as deployed: only the interval is shortened.
  const env = { NOTIFY_WORKER_INTERVAL_MS: "50", NOTIFY_RETRY_BASE_MS: "100", MAINTENANCE_JOBS: "off" };
  const first = await startConsole(process.env.DATABASE_URL!, env);
  consoles.push(first);
  await waitFor(() => receiver.received.length >= 5, 40_000, "the first console's deliveries");
  first.child.kill("SIGKILL");
  await new Promise((resolve) => (first.child.exitCode !== null ? resolve(null) : first.child.once("exit", resolve)));
  const delivered = () =>
    db.notificationDelivery.count({ where: { channelId: created.channelId, status: "DELIVERED" } });
  expect(await delivered()).toBeLessThan(EVENTS);

  const second = await startConsole(process.env.DATABASE_URL!, env);
  consoles.push(second);
  await waitFor(async () => (await delivered()) === EVENTS, 40_000, "the restarted console to deliver the rest");
  await second.stop();

  expect(receiver.received.every((entry) => entry.signatureValid)).toBe(true);
  expect(receiver.uniqueIds()).toEqual(new Set(ids));
  expect(receiver.received.length - receiver.uniqueIds().size).toBeLessThanOrEqual(1);
  expect(first.log() + second.log()).not.toContain(created.secret);
}, 120_000);
