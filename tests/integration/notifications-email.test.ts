import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { ChannelList } from "@/components/notifications/channel-list";
import { DeliveryLog } from "@/components/notifications/delivery-log";
import { EmailChannelSettings } from "@/components/notifications/email-channel-settings";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { generateMasterKeyEntry } from "@/lib/crypto/keyring";
import { rewrapAll } from "@/lib/crypto/rewrap";
import { scanSecrets } from "@/lib/crypto/secrets-health";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { checkBudgetThresholds } from "@/lib/notifications/budget-thresholds";
import { runDeliveryWorker } from "@/lib/notifications/deliver";
import {
  createChannelSpec,
  createEmailChannelSpec,
  createRuleSpec,
  deleteRuleSpec,
  sendTestSpec,
  setSelfSubscribeSpec,
  setSmtpPasswordSpec,
  subscribeSpec,
  unsubscribeSpec,
} from "@/lib/notifications/action-specs";
import { getChannel, listChannels, listDeliveries } from "@/lib/notifications/queries";
import { setBudgetSpec } from "@/lib/usage/budget-action-specs";
import { createActor } from "../support/actors";
import { closedPort, startTestSmtp, type TestSmtp, type TestSmtpOptions } from "../support/test-smtp";
import { createUsageFixture, wireRecord, type UsageFixture } from "./ingest-support";
import { startReceiver, waitFor } from "./notifications-support";
import { letters } from "./test-calls-support";

// Email channels against a real SMTP server on loopback (smtp-server; what arrives is parsed with
// mailparser): budget thresholds reach every matching rule's recipients once per event, deduped,
// as plain text and escaped HTML; SMTP AUTH with the sealed password; 5xx answers, a server that
// is down and a missing STARTTLS are retried and logged; the password appears nowhere but its
// sealed column; finance subscribes their own address only, viewers not at all.

let admin: Actor;
let finance: Actor;
const servers: TestSmtp[] = [];
const channels: string[] = [];
const SMTP_USER = "console-mailer";
const SMTP_PASSWORD = "pw-Sm7p-" + letters() + "-secret";

async function smtp(options?: TestSmtpOptions): Promise<TestSmtp> {
  const started = await startTestSmtp(options);
  servers.push(started);
  return started;
}

type ChannelInput = Partial<Record<string, string>>;

async function emailChannel(server: { host: string; port: number }, input: ChannelInput = {}) {
  const result = await executeAction(createEmailChannelSpec, admin, {
    name: `mail-${letters()}`,
    smtpHost: server.host,
    smtpPort: String(server.port),
    smtpTls: "NONE",
    fromAddress: "console@example.test",
    ...input,
  });
  if (!result.ok || !result.data) throw new Error(`email channel not created: ${JSON.stringify(result)}`);
  channels.push(result.data.id);
  return result.data.id;
}

async function rule(channelId: string, recipients: string[], extra: Record<string, unknown> = {}) {
  const result = await executeAction(createRuleSpec, admin, { channelId, recipients, ...extra });
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  return result.data!.id;
}

/** Runs the worker until the channel has nothing pending. */
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

const sorted = (list: string[]) => [...list].map((item) => item.toLowerCase()).sort();

beforeAll(async () => {
  admin = await createActor("ADMIN");
  finance = await createActor("FINANCE");
});

afterAll(async () => {
  for (const channelId of channels)
    await db.notificationChannel.update({ where: { id: channelId }, data: { enabled: false } });
  for (const server of servers) await server.close();
});

describe("budget thresholds by email", () => {
  let fixture: UsageFixture;
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

  beforeAll(async () => {
    fixture = await createUsageFixture();
    // A hostile provider name: it reaches subject, text and HTML through the event's data.
    const hostile = `<script>alert("pwn")</script> & co ${letters()}`;
    await db.provider.update({ where: { id: fixture.providerId }, data: { name: hostile } });
    fixture.providerName = hostile;
    expect(await executeAction(setBudgetSpec, admin, { scope: fixture.providerId, monthlyAmount: "10" })).toMatchObject(
      { ok: true },
    );
  });

  test("80 % and 100 % reach each matching rule's recipients once, one message per event, authenticated, text and escaped HTML", async () => {
    const server = await smtp({ credentials: { user: SMTP_USER, password: SMTP_PASSWORD } });
    const channelId = await emailChannel(server, {
      smtpUsername: SMTP_USER,
      smtpPassword: SMTP_PASSWORD,
      selfSubscribe: "true",
    });
    const budget = { eventKinds: ["budget.threshold_reached"] };
    await rule(channelId, ["ada@example.test", "bob@example.test"], budget);
    // CRITICAL only; BOB@ is bob@ again (deduplicated); carol only at 100 %.
    await rule(channelId, ["BOB@example.test", "carol@example.test"], { ...budget, minSeverity: "CRITICAL" });
    // Another kind: never mailed a budget event.
    await rule(channelId, ["tests-only@example.test"], { eventKinds: ["notification.test"] });
    expect(await executeAction(subscribeSpec, finance, { channelId })).toMatchObject({ ok: true });
    const mine = () => server.received.filter((mail) => mail.parsed.text?.includes(fixture.providerName));

    await spend(8);
    await Promise.all([checkBudgetThresholds(), checkBudgetThresholds()]);
    await deliverAll(channelId);
    expect(mine()).toHaveLength(1);
    await spend(2);
    await checkBudgetThresholds();
    await deliverAll(channelId);
    await checkBudgetThresholds();
    await deliverAll(channelId);

    const mails = mine();
    expect(mails).toHaveLength(2);
    const outbox = await db.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: `budget:provider:${fixture.providerId}:` } },
      select: { id: true, severity: true },
      orderBy: { createdAt: "asc" },
    });
    expect(outbox.map((row) => row.severity)).toEqual(["WARNING", "CRITICAL"]);
    expect(mails.map((mail) => mail.eventId)).toEqual(outbox.map((row) => row.id));
    expect(sorted(mails[0]!.rcptTo)).toEqual(sorted(["ada@example.test", "bob@example.test", finance.email]));
    expect(sorted(mails[1]!.rcptTo)).toEqual(
      sorted(["ada@example.test", "bob@example.test", "carol@example.test", finance.email]),
    );
    for (const [index, mail] of mails.entries()) {
      const severity = index === 0 ? "WARNING" : "CRITICAL";
      expect(mail.user).toBe(SMTP_USER);
      expect(mail.mailFrom).toBe("console@example.test");
      expect(mail.parsed.subject).toContain(`[${severity}]`);
      expect(mail.parsed.subject).toContain("budget.threshold_reached");
      expect(mail.parsed.subject).toContain(index === 0 ? "80 %" : "100 %");
      // Recipients in Bcc only: no one sees the others.
      expect(mail.raw).not.toMatch(/^(To|Cc|Bcc):.*ada@example\.test/im);
      expect(mail.parsed.text).toContain(fixture.providerName);
      expect(mail.parsed.text).toContain(outbox[index]!.id);
      const html = String(mail.parsed.html);
      expect(html).not.toContain("<script>");
      expect(html).toContain("&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt; &amp; co");
      // The idempotency id: the event id header, and a Message-ID derived from event and channel.
      expect(mail.messageId).toMatch(new RegExp(`^<${outbox[index]!.id}\\.[0-9a-f]{32}@`));
    }
    expect(server.logins.every((login) => login.ok && login.user === SMTP_USER)).toBe(true);
    const deliveries = await listDeliveries(channelId);
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts, delivery.lastHttpStatus])).toEqual([
      ["DELIVERED", 1, 250],
      ["DELIVERED", 1, 250],
    ]);
  }, 60_000);
});

describe("delivery failures", () => {
  test("a wrong password is refused (535), retried with backoff, and delivers once the password is replaced", async () => {
    const server = await smtp({ credentials: { user: SMTP_USER, password: SMTP_PASSWORD } });
    const wrong = `wrong-${SMTP_PASSWORD}`;
    const channelId = await emailChannel(server, { smtpUsername: SMTP_USER, smtpPassword: wrong });
    await rule(channelId, ["ops@example.test"]);
    const queued = await executeAction(sendTestSpec, admin, { channelId });
    await runDeliveryWorker({ baseDelayMs: 200, random: () => 1 });
    let [delivery] = await listDeliveries(channelId);
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastHttpStatus: 535 });
    expect(delivery!.attemptLog[0]!.error).toMatch(/^Authentication failed: .*535/);
    expect(server.logins).toEqual([{ user: SMTP_USER, ok: false }]);
    expect(
      await executeAction(setSmtpPasswordSpec, admin, {
        channelId,
        smtpUsername: SMTP_USER,
        smtpPassword: SMTP_PASSWORD,
      }),
    ).toMatchObject({ ok: true });
    await waitFor(
      async () => {
        await runDeliveryWorker({ baseDelayMs: 200, random: () => 1 });
        return (await db.notificationDelivery.count({ where: { channelId, status: "DELIVERED" } })) === 1;
      },
      10_000,
      "the retry",
    );
    [delivery] = await listDeliveries(channelId);
    expect(delivery!.attemptLog.map((attempt) => attempt.httpStatus)).toEqual([535, 250]);
    expect(server.received.map((mail) => mail.eventId)).toEqual([queued.data!.eventId]);
    expect(server.received[0]!.rcptTo).toEqual(["ops@example.test"]);
    expect(JSON.stringify(delivery)).not.toContain(wrong);
  });

  test("5xx answers to DATA are retried with growing delays until accepted, each reply in the log", async () => {
    const server = await smtp({ respond: (index) => (index === 0 ? 554 : index === 1 ? 451 : 250) });
    const channelId = await emailChannel(server);
    await rule(channelId, ["ops@example.test"]);
    const queued = await executeAction(sendTestSpec, admin, { channelId });
    await waitFor(
      async () => {
        await runDeliveryWorker({ baseDelayMs: 200, random: () => 1 });
        return (await db.notificationDelivery.count({ where: { channelId, status: "DELIVERED" } })) === 1;
      },
      15_000,
      "the third attempt",
    );
    const [delivery] = await listDeliveries(channelId);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3, lastHttpStatus: 250 });
    expect(delivery!.attemptLog.map((attempt) => attempt.httpStatus)).toEqual([554, 451, 250]);
    expect(delivery!.attemptLog[0]!.error).toMatch(/^SMTP 554: /);
    const at = delivery!.attemptLog.map((attempt) => attempt.at.getTime());
    // Delays 200 ms then 400 ms (jitter pinned at its top), a few ms of clock granularity allowed.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(190);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(390);
    expect(server.received.map((mail) => mail.eventId)).toEqual([queued.data!.eventId]);
    const html = renderToStaticMarkup(await DeliveryLog({ channelId, kind: "EMAIL" }));
    expect(html).toContain("SMTP 554");
    expect(html).toContain("SMTP 250");
  });

  test("a server that is down stays pending with the connection error logged and the next attempt scheduled", async () => {
    const channelId = await emailChannel({ host: "127.0.0.1", port: await closedPort() });
    await rule(channelId, ["ops@example.test"]);
    await executeAction(sendTestSpec, admin, { channelId });
    await runDeliveryWorker({ baseDelayMs: 60_000 });
    const [delivery] = await listDeliveries(channelId);
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastHttpStatus: null });
    expect(delivery!.attemptLog[0]!.error).toMatch(/ECONNREFUSED|ECONNECTION/);
    expect(delivery!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  test("STARTTLS required: a server without STARTTLS, or with a self-signed certificate, gets nothing", async () => {
    const plain = await smtp();
    const noTls = await emailChannel(plain, { smtpTls: "STARTTLS" });
    await rule(noTls, ["ops@example.test"]);
    const selfSigned = await smtp({ starttls: true });
    const untrusted = await emailChannel(selfSigned, { smtpTls: "STARTTLS" });
    await rule(untrusted, ["ops@example.test"]);
    await executeAction(sendTestSpec, admin, { channelId: noTls });
    await executeAction(sendTestSpec, admin, { channelId: untrusted });
    await runDeliveryWorker({ baseDelayMs: 60_000 });
    const [first] = await listDeliveries(noTls);
    expect(first).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(first!.attemptLog[0]!.error).toMatch(/^STARTTLS failed: the server did not upgrade the connection/);
    const [second] = await listDeliveries(untrusted);
    expect(second).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(second!.attemptLog[0]!.error).toMatch(/^TLS certificate refused: self[- ]signed certificate/);
    console.log(JSON.stringify({ starttlsErrors: [first!.attemptLog[0]!.error, second!.attemptLog[0]!.error] }));
    expect(plain.received).toHaveLength(0);
    expect(selfSigned.received).toHaveLength(0);
  });
});

describe("settings and rules that are refused", () => {
  test("link-local, metadata, loopback without EGRESS_ALLOWED_NETWORKS and plain text to a public address are field errors; nothing stored", async () => {
    const before = await db.notificationChannel.count();
    const create = (smtpHost: string, smtpTls = "STARTTLS") =>
      executeAction(createEmailChannelSpec, admin, {
        name: `refused-${letters()}`,
        smtpHost,
        smtpPort: "587",
        smtpTls,
        fromAddress: "console@example.test",
      });
    for (const host of ["169.254.169.254", "[fe80::1]", "metadata.google.internal"])
      expect((await create(host)).fieldErrors?.smtpHost, host).toBeDefined();
    expect((await create("203.0.113.9", "NONE")).fieldErrors?.smtpTls?.[0]).toMatch(/EGRESS_ALLOWED_NETWORKS/);
    const allowed = process.env.EGRESS_ALLOWED_NETWORKS;
    delete process.env.EGRESS_ALLOWED_NETWORKS;
    try {
      expect((await create("127.0.0.1")).fieldErrors?.smtpHost?.[0]).toMatch(/loopback/);
    } finally {
      process.env.EGRESS_ALLOWED_NETWORKS = allowed;
    }
    const invalid = await executeAction(createEmailChannelSpec, admin, {
      name: `invalid-${letters()}`,
      smtpHost: "smtp.example.test",
      smtpPort: "70000",
      smtpTls: "SOMETIMES",
      fromAddress: "not an address",
    });
    expect(Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual(["fromAddress", "smtpPort", "smtpTls"]);
    const userOnly = await executeAction(createEmailChannelSpec, admin, {
      name: `user-only-${letters()}`,
      smtpHost: "smtp.example.test",
      smtpPort: "587",
      smtpUsername: "only-a-user",
      fromAddress: "console@example.test",
    });
    expect(userOnly.fieldErrors?.smtpPassword?.[0]).toMatch(/both a user name and a password/);
    expect(await db.notificationChannel.count()).toBe(before);
  });

  test("an email rule needs valid recipients; a webhook rule takes none", async () => {
    const channelId = await emailChannel({ host: "127.0.0.1", port: 2525 });
    expect((await executeAction(createRuleSpec, admin, { channelId })).fieldErrors?.recipients).toBeDefined();
    expect(
      (await executeAction(createRuleSpec, admin, { channelId, recipients: "ok@example.test, not-an-address" }))
        .fieldErrors?.recipients,
    ).toEqual(["Address 2 is not a valid email address."]);
    const fromText = await executeAction(createRuleSpec, admin, {
      channelId,
      recipients: "a@example.test,\nb@example.test  A@example.test",
    });
    expect(fromText).toMatchObject({ ok: true });
    const stored = await db.notificationRule.findUniqueOrThrow({ where: { id: fromText.data!.id } });
    expect(stored.recipients).toEqual(["a@example.test", "b@example.test"]);
    const hook = await startReceiver();
    try {
      const webhook = await executeAction(createChannelSpec, admin, {
        name: `hook-${letters()}`,
        url: hook.url,
      });
      channels.push(webhook.data!.id);
      const refused = await executeAction(createRuleSpec, admin, {
        channelId: webhook.data!.id,
        recipients: ["a@example.test"],
      });
      expect(refused.fieldErrors?.recipients?.[0]).toMatch(/webhook/);
    } finally {
      await hook.close();
    }
  });

  test("a test on a channel with no rules goes to the From address", async () => {
    const server = await smtp();
    const channelId = await emailChannel(server, { fromAddress: "Console@Example.test" });
    await executeAction(sendTestSpec, admin, { channelId });
    await deliverAll(channelId);
    expect(server.received.map((mail) => mail.rcptTo)).toEqual([["console@example.test"]]);
    expect(server.received[0]!.parsed.subject).toContain("notification.test");
  });
});

describe("the SMTP password", () => {
  test("appears in no audit row, read, delivery log, rendered page or failed action's echo", async () => {
    const since = new Date();
    const server = await smtp({ credentials: { user: SMTP_USER, password: SMTP_PASSWORD } });
    const channelId = await emailChannel(server, { smtpUsername: SMTP_USER, smtpPassword: SMTP_PASSWORD });
    await rule(channelId, ["ops@example.test"]);
    await executeAction(sendTestSpec, admin, { channelId });
    await deliverAll(channelId);
    const replaced = `${SMTP_PASSWORD}-2`;
    await executeAction(setSmtpPasswordSpec, admin, { channelId, smtpUsername: SMTP_USER, smtpPassword: replaced });
    // A failure (the name is taken) must not echo the password back to the form.
    const taken = (await db.notificationChannel.findUniqueOrThrow({ where: { id: channelId } })).name;
    const failed = await executeAction(createEmailChannelSpec, admin, {
      name: taken,
      smtpHost: server.host,
      smtpPort: String(server.port),
      smtpTls: "NONE",
      smtpUsername: SMTP_USER,
      smtpPassword: SMTP_PASSWORD,
      fromAddress: "console@example.test",
    });
    expect(failed.ok).toBe(false);
    const row = await db.notificationChannel.findUniqueOrThrow({ where: { id: channelId } });
    expect(row.smtpPasswordCiphertext).toMatch(/^v1:/);
    const secrets = [SMTP_PASSWORD, replaced, Buffer.from(SMTP_PASSWORD).toString("base64")];
    const audits = await db.auditEvent.findMany({ where: { at: { gte: since } }, select: { details: true } });
    const channelView = (await getChannel(channelId, { userId: admin.id, full: true }))!;
    const texts = {
      row: JSON.stringify({ ...row, smtpPasswordCiphertext: null }),
      audits: JSON.stringify(audits),
      failed: JSON.stringify(failed),
      adminRead: JSON.stringify(await listChannels({ userId: admin.id, full: true })),
      financeRead: JSON.stringify(await listChannels({ userId: finance.id, full: false })),
      deliveries: JSON.stringify(await listDeliveries(channelId)),
      mail: server.received.map((mail) => mail.raw).join("\n"),
      adminHtml: renderToStaticMarkup(await ChannelList({ canWrite: true, userId: admin.id })),
      readerHtml: renderToStaticMarkup(await ChannelList({ canWrite: false, canSubscribe: true, userId: finance.id })),
      settingsHtml: renderToStaticMarkup(EmailChannelSettings({ channel: channelView, canWrite: true })),
      logHtml: renderToStaticMarkup(await DeliveryLog({ channelId, kind: "EMAIL" })),
    };
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of secrets) expect(text.includes(secret), `${where} contains the password`).toBe(false);
      expect(text.includes(row.smtpPasswordCiphertext!), `${where} contains the envelope`).toBe(false);
    }
    expect(channelView.passwordSet).toBe(true);
    expect(texts.settingsHtml).toContain(`${server.host}:${server.port}`);
    expect(texts.settingsHtml).toContain("set (sealed, not shown)");
    expect(texts.settingsHtml).toContain("Replace password");
    expect(texts.adminHtml).toContain("ops@example.test");
    expect(texts.readerHtml).not.toContain("ops@example.test");
  });
});

describe("the sealed password and the master keyring", () => {
  test("a rotation re-seals it and the worker still logs in; the health scan counts only real envelopes", async () => {
    const server = await smtp({ credentials: { user: SMTP_USER, password: SMTP_PASSWORD } });
    const channelId = await emailChannel(server, { smtpUsername: SMTP_USER, smtpPassword: SMTP_PASSWORD });
    await rule(channelId, ["ops@example.test"]);
    // An email channel without credentials: no envelope at all, which is not an undecryptable one.
    await emailChannel(server);
    const k1 = process.env.CONSOLE_MASTER_KEYS!;
    const k2 = generateMasterKeyEntry(`nm${letters().slice(0, 4)}`);
    try {
      process.env.CONSOLE_MASTER_KEYS = `${k2},${k1}`;
      const summary = await rewrapAll();
      expect(Object.keys(summary.after["notification_channels.smtp_password_ciphertext"]!)).toEqual([k2.split(":")[0]]);
      process.env.CONSOLE_MASTER_KEYS = k2;
      await executeAction(sendTestSpec, admin, { channelId });
      await deliverAll(channelId);
      expect(server.received).toHaveLength(1);
      expect(server.logins.at(-1)).toEqual({ user: SMTP_USER, ok: true });
    } finally {
      process.env.CONSOLE_MASTER_KEYS = `${k1},${k2}`;
      await rewrapAll();
      process.env.CONSOLE_MASTER_KEYS = k1;
    }
    const report = await scanSecrets({ fresh: true });
    const withPassword = await db.notificationChannel.count({ where: { smtpPasswordCiphertext: { not: null } } });
    const webhooks = await db.notificationChannel.count({ where: { kind: "WEBHOOK" } });
    expect(report["notification_channels.smtp_password_ciphertext"]).toMatchObject({
      rows: withPassword,
      undecryptable: 0,
    });
    expect(report["notification_channels.secret_ciphertext"]).toMatchObject({ rows: webhooks, undecryptable: 0 });
  });
});

describe("finance subscribes themselves", () => {
  test("to budget events on an open channel, their own address only; viewers are refused", async () => {
    const server = await smtp();
    const channelId = await emailChannel(server, { selfSubscribe: "true" });
    await rule(channelId, ["ops@example.test"], { eventKinds: ["budget.threshold_reached"] });
    const other = await createActor("FINANCE");
    // Extra fields naming someone else are ignored: the rule is the caller's, mailing their address.
    const subscribed = await executeAction(subscribeSpec, other, {
      channelId,
      recipients: ["mallory@example.test"],
      email: "mallory@example.test",
      ownerUserId: admin.id,
    });
    expect(subscribed).toMatchObject({ ok: true });
    const own = await db.notificationRule.findUniqueOrThrow({ where: { id: subscribed.data!.ruleId } });
    expect(own).toMatchObject({ ownerUserId: other.id, recipients: [], eventKinds: ["budget.threshold_reached"] });
    // Idempotent: a second click is the same subscription.
    expect((await executeAction(subscribeSpec, other, { channelId })).data?.ruleId).toBe(own.id);
    expect(await executeAction(subscribeSpec, finance, { channelId })).toMatchObject({ ok: true });

    const viewer = await createActor("VIEWER");
    const refused = await executeAction(subscribeSpec, viewer, { channelId });
    expect(refused).toMatchObject({ ok: false, message: "Your role does not allow this action." });
    expect(await db.notificationRule.count({ where: { ownerUserId: viewer.id } })).toBe(0);
    // Finance cannot add addresses or touch other rules.
    expect((await executeAction(createRuleSpec, other, { channelId, recipients: ["x@example.test"] })).ok).toBe(false);
    expect((await executeAction(deleteRuleSpec, other, { ruleId: own.id })).ok).toBe(false);

    // A budget event is mailed to the rule's address and both subscribers, nobody else.
    const { writeNotificationEvent } = await import("@/lib/notifications/outbox");
    const eventKey = `budget:test:${letters()}`;
    await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "budget.threshold_reached",
        severity: "WARNING",
        dedupeKey: eventKey,
        data: { scope: "overall", name: "Overall", threshold: 80, budget_usd: "1.00", spent_usd: "0.80", month: "x" },
      }),
    );
    await deliverAll(channelId);
    expect(sorted(server.received.at(-1)!.rcptTo)).toEqual(sorted(["ops@example.test", other.email, finance.email]));

    // What finance reads: their own subscription, no one else's address.
    const financeView = (await listChannels({ userId: other.id, full: false })).find((row) => row.id === channelId)!;
    expect(financeView.subscribed).toBe(true);
    expect(JSON.stringify(financeView)).not.toContain("ops@example.test");
    expect(JSON.stringify(financeView)).not.toContain(finance.email);
    expect(financeView.otherSubscribers).toBe(1);

    // Unsubscribing removes only the caller's own rule.
    expect(await executeAction(unsubscribeSpec, other, { channelId })).toMatchObject({ ok: true });
    expect(await db.notificationRule.count({ where: { channelId, ownerUserId: other.id } })).toBe(0);
    expect(await db.notificationRule.count({ where: { channelId, ownerUserId: finance.id } })).toBe(1);
    expect(await db.notificationRule.count({ where: { channelId, ownerUserId: null } })).toBe(1);
    const audit = await db.auditEvent.findMany({
      where: { action: { in: ["notification_rule.subscribed", "notification_rule.unsubscribed"] }, actorId: other.id },
      select: { action: true },
      orderBy: { at: "asc" },
    });
    expect(audit.map((row) => row.action)).toEqual(["notification_rule.subscribed", "notification_rule.unsubscribed"]);
  });

  test("a subscriber who is disabled or loses the role is no longer mailed; an address change is followed", async () => {
    const server = await smtp();
    const channelId = await emailChannel(server, { selfSubscribe: "true" });
    await rule(channelId, ["ops@example.test"], { eventKinds: ["budget.threshold_reached"] });
    const [moved, demoted, disabled] = [
      await createActor("FINANCE"),
      await createActor("FINANCE"),
      await createActor("ADMIN"),
    ];
    for (const actor of [moved, demoted, disabled])
      expect(await executeAction(subscribeSpec, actor, { channelId })).toMatchObject({ ok: true });
    const newAddress = `moved-${letters()}@example.test`;
    await db.user.update({ where: { id: moved.id }, data: { email: newAddress } });
    await db.user.update({ where: { id: demoted.id }, data: { role: "VIEWER" } });
    await db.user.update({ where: { id: disabled.id }, data: { disabled: true } });
    const { writeNotificationEvent } = await import("@/lib/notifications/outbox");
    await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "budget.threshold_reached",
        severity: "WARNING",
        dedupeKey: `budget:test:${letters()}`,
        data: { scope: "overall", name: "Overall", threshold: 80 },
      }),
    );
    await deliverAll(channelId);
    expect(sorted(server.received.at(-1)!.rcptTo)).toEqual(sorted(["ops@example.test", newAddress]));
  });

  test("is refused on a channel not open for it, and stops being mailed when an admin closes it", async () => {
    const server = await smtp();
    const closed = await emailChannel(server);
    expect(await executeAction(subscribeSpec, finance, { channelId: closed })).toMatchObject({
      ok: false,
      message: "This channel is not open for subscriptions.",
    });
    const open = await emailChannel(server, { selfSubscribe: "true" });
    await rule(open, ["ops@example.test"], { eventKinds: ["budget.threshold_reached"] });
    expect(await executeAction(subscribeSpec, finance, { channelId: open })).toMatchObject({ ok: true });
    expect(await executeAction(setSelfSubscribeSpec, admin, { channelId: open, selfSubscribe: "false" })).toMatchObject(
      { ok: true },
    );
    const { writeNotificationEvent } = await import("@/lib/notifications/outbox");
    await db.$transaction((tx) =>
      writeNotificationEvent(tx, {
        kind: "budget.threshold_reached",
        severity: "CRITICAL",
        dedupeKey: `budget:test:${letters()}`,
        data: { scope: "overall", name: "Overall", threshold: 100 },
      }),
    );
    await deliverAll(open);
    expect(server.received.at(-1)!.rcptTo).toEqual(["ops@example.test"]);
  });
});
