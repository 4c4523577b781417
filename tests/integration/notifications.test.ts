import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { renderToStaticMarkup } from "react-dom/server";
import { ChannelList } from "@/components/notifications/channel-list";
import { DeliveryLog } from "@/components/notifications/delivery-log";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { seal } from "@/lib/crypto/seal";
import { generateMasterKeyEntry } from "@/lib/crypto/keyring";
import { rewrapAll } from "@/lib/crypto/rewrap";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { checkBudgetThresholds } from "@/lib/notifications/budget-thresholds";
import { channelSecretAssociatedData } from "@/lib/notifications/channel-secret";
import { runDeliveryWorker } from "@/lib/notifications/deliver";
import { createChannelSpec, sendTestSpec, setChannelEnabledSpec } from "@/lib/notifications/action-specs";
import { listChannels, listDeliveries } from "@/lib/notifications/queries";
import { setBudgetSpec } from "@/lib/usage/budget-action-specs";
import { createActor } from "../support/actors";
import { createUsageFixture, wireRecord, type UsageFixture } from "./ingest-support";
import { createChannelFor, startReceiver, waitFor, type Receiver } from "./notifications-support";
import { startWorkerProcess } from "./notifications-process";
import { letters } from "./test-calls-support";

// Budget threshold events through the outbox to a signed webhook on loopback: each threshold once
// per month across concurrent checks and separate processes, retries with backoff, giving up
// after 24 h, refused URLs, and the signing secret nowhere but the sealed column and the one answer.

let admin: Actor;
const receivers: Receiver[] = [];
const channels: string[] = [];

async function receiver(options?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(options);
  receivers.push(started);
  return started;
}

async function channel(target: Receiver, rule?: Parameters<typeof createChannelFor>[2]) {
  const created = await createChannelFor(admin, target, rule);
  channels.push(created.channelId);
  return created;
}

/** Runs the worker until the channel has nothing pending (or the time runs out). */
async function deliverAll(channelId: string, timeoutMs = 15_000) {
  await waitFor(
    async () => {
      await runDeliveryWorker({ baseDelayMs: 100 });
      return (await db.notificationDelivery.count({ where: { channelId, status: "PENDING" } })) === 0;
    },
    timeoutMs,
    "deliveries",
  );
}

beforeAll(async () => {
  admin = await createActor("ADMIN");
});

afterAll(async () => {
  // Leave nothing pending for the next file's workers.
  for (const channelId of channels)
    await db.notificationChannel.update({ where: { id: channelId }, data: { enabled: false } });
  for (const entry of receivers) await entry.close();
});

describe("budget thresholds", () => {
  let fixture: UsageFixture;
  // $1.00 a record: 100,000 output tokens at $10 per million (the fixture's current price).
  const spend = (count: number) =>
    ingestBatch(
      Array.from({ length: count }, () =>
        wireRecord(fixture, {
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 100_000,
        }),
      ),
      fixture.tokenId,
    );
  const scope = () => `provider:${fixture.providerId}`;
  const outboxFor = () =>
    db.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: `budget:${scope()}:` } },
      select: { id: true, dedupeKey: true, severity: true },
      orderBy: { createdAt: "asc" },
    });

  beforeAll(async () => {
    fixture = await createUsageFixture();
    expect(await executeAction(setBudgetSpec, admin, { scope: fixture.providerId, monthlyAmount: "10" })).toMatchObject(
      { ok: true },
    );
  });

  test("80 % and 100 % each fire once, across concurrent checks and two processes, signed and delivered", async () => {
    const hook = await receiver();
    const { channelId } = await channel(hook, { eventKinds: ["budget.threshold_reached"], minSeverity: "WARNING" });
    const mine = () => hook.received.filter((entry) => (entry.json.data as { scope?: string })?.scope === scope());

    await spend(7);
    await checkBudgetThresholds();
    expect(await outboxFor()).toEqual([]);

    await spend(1);
    const counter = await db.spendCounter.findFirst({ where: { scope: scope() }, select: { costSum: true } });
    expect(counter?.costSum.toFixed(2)).toBe("8.00");
    // Three checks at once in this process, on separate connections: one row wins.
    await Promise.all([checkBudgetThresholds(), checkBudgetThresholds(), checkBudgetThresholds()]);
    await checkBudgetThresholds();
    const at80 = await outboxFor();
    expect(at80.map((row) => [row.dedupeKey.split(":").at(-1), row.severity])).toEqual([["80", "WARNING"]]);
    await deliverAll(channelId);
    expect(mine().map((entry) => [entry.json.kind, (entry.json.data as { threshold: number }).threshold])).toEqual([
      ["budget.threshold_reached", 80],
    ]);

    await spend(2);
    // Two separate processes check at the same time: still one event for 100 %.
    const [first, second] = [startWorkerProcess(["--budgets-once"]), startWorkerProcess(["--budgets-once"])];
    expect(await first.exited, first.output()).toBe(0);
    expect(await second.exited, second.output()).toBe(0);
    const written = [first.output(), second.output()].map((text) =>
      Number(/budget events written: (\d+)/.exec(text)?.[1] ?? -1),
    );
    expect(written.every((count) => count >= 0)).toBe(true);
    console.log(JSON.stringify({ budgetEventsWrittenPerProcess: written }));
    await checkBudgetThresholds();
    const after = await outboxFor();
    expect(after.map((row) => [row.dedupeKey.split(":").at(-1), row.severity])).toEqual([
      ["80", "WARNING"],
      ["100", "CRITICAL"],
    ]);
    await deliverAll(channelId);
    await checkBudgetThresholds();
    await deliverAll(channelId);

    const events = mine();
    expect(events.map((entry) => (entry.json.data as { threshold: number }).threshold)).toEqual([80, 100]);
    expect(events.every((entry) => entry.signatureValid)).toBe(true);
    expect(new Set(events.map((entry) => entry.eventId))).toEqual(new Set(after.map((row) => row.id)));
    expect(events[1]!.json).toMatchObject({
      id: after[1]!.id,
      kind: "budget.threshold_reached",
      severity: "CRITICAL",
      data: { scope: scope(), scope_type: "provider", name: fixture.providerName, threshold: 100, budget_usd: "10.00" },
    });
    expect(typeof events[1]!.json.occurred_at).toBe("string");
    // Each event is an audit row, once.
    const audits = await db.auditEvent.findMany({
      where: { action: "notification.event", targetId: { in: after.map((row) => row.id) } },
      select: { targetId: true },
    });
    expect(audits.map((row) => row.targetId).sort()).toEqual(after.map((row) => row.id).sort());
  }, 50_000);
});

describe("budget thresholds at a month's turn", () => {
  test("spend in the last minutes of a month is still announced in the first hour of the next, for that month", async () => {
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const previousMonth = new Date(monthStart - 1).toISOString().slice(0, 7);
    const own = await createUsageFixture();
    await executeAction(setBudgetSpec, admin, { scope: own.providerId, monthlyAmount: "1" });
    await ingestBatch(
      [
        wireRecord(own, {
          occurredAt: new Date(monthStart - 30_000).toISOString(),
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 100_000,
        }),
      ],
      own.tokenId,
    );
    const keys = async () =>
      (
        await db.notificationOutbox.findMany({
          where: { dedupeKey: { startsWith: `budget:provider:${own.providerId}:` } },
          select: { dedupeKey: true },
        })
      )
        .map((row) => row.dedupeKey.split(":").slice(-2).join(":"))
        .sort();
    await checkBudgetThresholds(new Date(monthStart + 2 * 3_600_000));
    expect(await keys()).toEqual([]);
    await checkBudgetThresholds(new Date(monthStart + 10 * 60_000));
    expect(await keys()).toEqual([`${previousMonth}:100`, `${previousMonth}:80`]);
  });
});

describe("delivery", () => {
  test("a failing receiver is retried with growing delays until it answers, each attempt logged", async () => {
    const hook = await receiver({ respond: (index) => (index === 0 ? 500 : index === 1 ? 503 : 200) });
    const { channelId } = await channel(hook, null);
    const queued = await executeAction(sendTestSpec, admin, { channelId });
    expect(queued).toMatchObject({ ok: true });
    await waitFor(
      async () => {
        await runDeliveryWorker({ baseDelayMs: 200, random: () => 1 });
        return (await db.notificationDelivery.count({ where: { channelId, status: "DELIVERED" } })) === 1;
      },
      15_000,
      "the third attempt",
    );
    expect(hook.received.map((entry) => entry.eventId)).toEqual(Array(3).fill(queued.data!.eventId));
    expect(hook.received.every((entry) => entry.signatureValid)).toBe(true);
    const gaps = hook.received.slice(1).map((entry, index) => entry.at - hook.received[index]!.at);
    // Delays 200 ms then 400 ms (jitter pinned at its top); a few ms of clock granularity allowed.
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    const [delivery] = await listDeliveries(channelId);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3, lastHttpStatus: 200 });
    expect(delivery!.attemptLog.map((attempt) => attempt.httpStatus)).toEqual([500, 503, 200]);
    expect(delivery!.attemptLog.every((attempt) => attempt.latencyMs >= 0)).toBe(true);
    expect(delivery!.attemptLog[0]!.error).toBe("HTTP 500");
  });

  test("an event still failing 24 h after it was written is given up as failed", async () => {
    const hook = await receiver({ respond: () => 500 });
    const { channelId } = await channel(hook, null);
    const queued = await executeAction(sendTestSpec, admin, { channelId });
    await db.$executeRaw`UPDATE notification_outbox SET created_at = now() - interval '25 hours' WHERE id = ${queued.data!.eventId}::uuid`;
    await runDeliveryWorker({ baseDelayMs: 100 });
    const [delivery] = await listDeliveries(channelId);
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 1, lastHttpStatus: 500 });
    await runDeliveryWorker({ baseDelayMs: 100 });
    expect(hook.received).toHaveLength(1);
  });

  test("a disabled channel receives nothing; enabled again, it receives what was queued", async () => {
    const hook = await receiver();
    const { channelId } = await channel(hook, null);
    await executeAction(setChannelEnabledSpec, admin, { channelId, enabled: "false" });
    await executeAction(sendTestSpec, admin, { channelId });
    await runDeliveryWorker();
    expect(hook.received).toHaveLength(0);
    await executeAction(setChannelEnabledSpec, admin, { channelId, enabled: "true" });
    await deliverAll(channelId);
    expect(hook.received).toHaveLength(1);
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ kind: "notification.test", severity: "INFO" });
  });

  test("the Slack format sends one signed { text }", async () => {
    const hook = await receiver();
    const created = await createChannelFor(admin, hook, null, "SLACK");
    channels.push(created.channelId);
    await executeAction(sendTestSpec, admin, { channelId: created.channelId });
    await deliverAll(created.channelId);
    expect(Object.keys(hook.received[0]!.json)).toEqual(["text"]);
    expect(hook.received[0]!.signatureValid).toBe(true);
  });
});

describe("refused webhook URLs", () => {
  const create = (url: string) =>
    executeAction(createChannelSpec, admin, { name: `refused-${letters()}`, url, format: "JSON" });

  test("metadata, link-local and the console's own origin are refused as field errors, nothing stored", async () => {
    const before = await db.notificationChannel.count();
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]:8080/hook",
      "http://[::ffff:169.254.169.254]/",
      "http://metadata.google.internal/computeMetadata/v1/",
    ]) {
      const result = await create(url);
      expect(result.ok, url).toBe(false);
      expect(result.fieldErrors?.url, url).toBeDefined();
    }
    const hook = await receiver();
    const saved = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = hook.origin;
    try {
      expect((await create(`${hook.origin}/api/usage`)).fieldErrors?.url?.[0]).toMatch(/console itself/);
    } finally {
      if (saved === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = saved;
    }
    const allowed = process.env.EGRESS_ALLOWED_NETWORKS;
    delete process.env.EGRESS_ALLOWED_NETWORKS;
    try {
      expect((await create(hook.url)).fieldErrors?.url?.[0]).toMatch(/loopback/);
    } finally {
      process.env.EGRESS_ALLOWED_NETWORKS = allowed;
    }
    expect(await db.notificationChannel.count()).toBe(before);
    expect(hook.received).toHaveLength(0);
  });

  test("a stored URL that became refused is not called at send time; the attempt says why", async () => {
    const id = randomUUID();
    const sealed = seal("whsec_stored", channelSecretAssociatedData(id));
    await db.notificationChannel.create({
      data: {
        id,
        name: `metadata-${letters()}`,
        url: "http://169.254.169.254/hook",
        secretCiphertext: sealed.envelope,
        masterKeyId: sealed.keyId,
      },
    });
    channels.push(id);
    await executeAction(sendTestSpec, admin, { channelId: id });
    await runDeliveryWorker();
    const [delivery] = await listDeliveries(id);
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastHttpStatus: null });
    expect(delivery!.attemptLog[0]!.error).toMatch(/Link-local/);
  });
});

// This machine's own name resolves to loopback here (/etc/hosts): a name, not a literal, so only the
// transport's check on the connected address can refuse it.
const ownNameIsLoopback = await lookup(hostname()).then(
  (found) => found.address.startsWith("127."),
  () => false,
);

describe.skipIf(!ownNameIsLoopback)("a name resolving to an internal address", () => {
  test("is refused at connect time, with the address in the delivery log and no request made", async () => {
    const hook = await receiver();
    const { channelId } = await channel(hook, null);
    await db.notificationChannel.update({
      where: { id: channelId },
      data: { url: hook.url.replace("127.0.0.1", hostname()) },
    });
    await executeAction(sendTestSpec, admin, { channelId });
    const allowed = process.env.EGRESS_ALLOWED_NETWORKS;
    delete process.env.EGRESS_ALLOWED_NETWORKS;
    try {
      await runDeliveryWorker();
    } finally {
      process.env.EGRESS_ALLOWED_NETWORKS = allowed;
    }
    const [delivery] = await listDeliveries(channelId);
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastHttpStatus: null });
    expect(delivery!.attemptLog[0]!.error).toMatch(
      /^Refused: the URL resolved to 127\.\d+\.\d+\.\d+, a loopback address/,
    );
    expect(hook.received).toHaveLength(0);
  });
});

describe("the signing secret", () => {
  test("is answered once, stored only sealed, and absent from audit rows, reads and the delivery log", async () => {
    const since = new Date();
    const hook = await receiver();
    const { channelId, secret } = await channel(hook, null);
    await executeAction(sendTestSpec, admin, { channelId });
    await deliverAll(channelId);
    const row = await db.notificationChannel.findUniqueOrThrow({ where: { id: channelId } });
    expect(row.secretCiphertext).toMatch(/^v1:test1:/);
    expect(JSON.stringify(row)).not.toContain(secret);
    const audits = await db.auditEvent.findMany({
      where: { at: { gte: since } },
      select: { action: true, targetId: true, details: true },
    });
    expect(
      audits.some((event) => event.targetId === channelId && event.action === "notification_channel.created"),
    ).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(secret);
    expect(JSON.stringify(audits)).not.toContain(secret.slice(6, 20));
    expect(JSON.stringify(await listChannels())).not.toContain(secret);
    expect(JSON.stringify(await listChannels())).not.toContain("v1:test1:");
    expect(JSON.stringify(await listDeliveries(channelId))).not.toContain(secret);
    expect(hook.received[0]!.body).not.toContain(secret);
    // The page's widgets as HTML: no secret, no envelope; the full URL only for admins.
    const adminHtml = renderToStaticMarkup(await ChannelList({ canWrite: true }));
    const readerHtml = renderToStaticMarkup(await ChannelList({ canWrite: false }));
    const logHtml = renderToStaticMarkup(await DeliveryLog({ channelId }));
    for (const html of [adminHtml, readerHtml, logHtml]) {
      expect(html).not.toContain(secret);
      expect(html).not.toContain("v1:test1:");
    }
    expect(adminHtml).toContain(hook.url);
    expect(readerHtml).not.toContain(hook.url);
    expect(readerHtml).toContain(new URL(hook.url).host);
    expect(readerHtml).not.toContain("Send test");
    expect(logHtml).toContain("notification.test");
    expect(logHtml).toContain("delivered");
  });

  test("is re-sealed by a master key rotation and still signs with the same secret", async () => {
    const hook = await receiver();
    const { channelId } = await channel(hook, null);
    const k1 = process.env.CONSOLE_MASTER_KEYS!;
    const k2 = generateMasterKeyEntry(`nk${letters().slice(0, 4)}`);
    try {
      process.env.CONSOLE_MASTER_KEYS = `${k2},${k1}`;
      const summary = await rewrapAll();
      expect(Object.keys(summary.after["notification_channels.secret_ciphertext"]!)).toEqual([k2.split(":")[0]]);
      process.env.CONSOLE_MASTER_KEYS = k2;
      await executeAction(sendTestSpec, admin, { channelId });
      await deliverAll(channelId);
      expect(hook.received.map((entry) => entry.signatureValid)).toEqual([true]);
    } finally {
      // Leave every row readable under the original keyring for the files that run after this one.
      process.env.CONSOLE_MASTER_KEYS = `${k1},${k2}`;
      await rewrapAll();
      process.env.CONSOLE_MASTER_KEYS = k1;
    }
  });

  test("finance and viewers cannot create channels or send tests, and nothing is written", async () => {
    const hook = await receiver();
    const { channelId } = await channel(hook, null);
    const outbox = await db.notificationOutbox.count();
    for (const role of ["FINANCE", "VIEWER"] as const) {
      const actor = await createActor(role);
      expect((await executeAction(sendTestSpec, actor, { channelId })).ok).toBe(false);
      expect((await executeAction(createChannelSpec, actor, { name: `x-${letters()}`, url: hook.url })).ok).toBe(false);
    }
    expect(await db.notificationOutbox.count()).toBe(outbox);
  });
});
