import { afterAll, beforeAll, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { checkBudgetThresholds } from "@/lib/notifications/budget-thresholds";
import { runDeliveryWorker } from "@/lib/notifications/deliver";
import { createEmailChannelSpec, createRuleSpec, subscribeSpec } from "@/lib/notifications/action-specs";
import { setBudgetSpec } from "@/lib/usage/budget-action-specs";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { chat, counterOf } from "./gateway-load-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import { createChannelFor, startReceiver, waitFor, type Receiver } from "./notifications-support";
import { seedProvider, letters } from "./test-calls-support";
import { startTestSmtp, type TestSmtp } from "../support/test-smtp";

// Budget thresholds from real gateway traffic: requests through a gateway process to the fake
// provider move spend_counters; after every request two checks run at once and the worker
// delivers. The provider's soft budget and the key's hard budget each announce 80 % once, the
// provider's 100 % once, all signed, whatever the number of checks in between. An email channel
// (a real SMTP server on loopback, with AUTH) gets the same events, each once, to its rule's
// recipient and a finance user who subscribed themselves.

const PRICE = { input: "1000", output: "10000" }; // $ per million tokens: ~$0.05 a request
let fake: FakeProvider;
let gateway: GatewayProcess;
let admin: Actor;
let hook: Receiver;
let channelId: string;
let smtp: TestSmtp;
let emailChannelId: string;
let finance: Actor;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  gateway = await startGatewayProcess();
  hook = await startReceiver();
  ({ channelId } = await createChannelFor(admin, hook, { eventKinds: ["budget.threshold_reached"] }));
  const credentials = { user: "gateway-mailer", password: `pw-${letters()}` };
  smtp = await startTestSmtp({ credentials });
  const created = await executeAction(createEmailChannelSpec, admin, {
    name: `gateway-mail-${letters()}`,
    smtpHost: smtp.host,
    smtpPort: String(smtp.port),
    smtpTls: "NONE",
    smtpUsername: credentials.user,
    smtpPassword: credentials.password,
    fromAddress: "console@example.test",
    selfSubscribe: "true",
  });
  emailChannelId = created.data!.id;
  await executeAction(createRuleSpec, admin, {
    channelId: emailChannelId,
    eventKinds: ["budget.threshold_reached"],
    recipients: "budget-owners@example.test",
  });
  finance = await createActor("FINANCE");
  expect(await executeAction(subscribeSpec, finance, { channelId: emailChannelId })).toMatchObject({ ok: true });
}, 90_000);

afterAll(async () => {
  await db.notificationChannel.updateMany({
    where: { id: { in: [channelId, emailChannelId] } },
    data: { enabled: false },
  });
  await smtp?.close();
  await gateway?.stop();
  await fake?.close();
  await hook?.close();
});

test("gateway spend crosses a provider's and a key's budget thresholds: each fires once, delivered and signed", async () => {
  const seeded = await seedProvider(admin, fake.url, "openai", { price: PRICE });
  const model = `${await providerSlug(seeded.providerId)}/fake-small`;
  expect(await executeAction(setBudgetSpec, admin, { scope: seeded.providerId, monthlyAmount: "0.25" })).toMatchObject({
    ok: true,
  });
  const key = await seedGatewayKey({ monthlyBudgetUsd: "0.30" });
  const providerScope = `provider:${seeded.providerId}`;
  const keyScope = `key:${key.id}`;

  let spent = await counterOf(providerScope);
  for (let request = 0; request < 12 && spent.lessThan("0.25"); request += 1) {
    const answer = await chat(gateway.url, key.key, model, { maxTokens: 5 });
    if (answer.status !== 200) break;
    const before = spent;
    await waitFor(async () => !(spent = await counterOf(providerScope)).equals(before), 10_000, "the usage record");
    await Promise.all([checkBudgetThresholds(), checkBudgetThresholds()]);
  }
  expect(spent.greaterThanOrEqualTo("0.25")).toBe(true);
  await checkBudgetThresholds();
  await waitFor(
    async () => {
      await runDeliveryWorker();
      return (
        (await db.notificationDelivery.count({
          where: { channelId: { in: [channelId, emailChannelId] }, status: "PENDING" },
        })) === 0
      );
    },
    10_000,
    "deliveries",
  );

  const thresholdsOf = (scope: string) =>
    hook.received
      .filter((entry) => (entry.json.data as { scope?: string }).scope === scope)
      .map((entry) => (entry.json.data as { threshold: number }).threshold);
  expect(thresholdsOf(providerScope)).toEqual([80, 100]);
  const keySpent = await counterOf(keyScope);
  expect(thresholdsOf(keyScope)).toEqual(keySpent.greaterThanOrEqualTo("0.30") ? [80, 100] : [80]);
  expect(hook.received.every((entry) => entry.signatureValid)).toBe(true);
  const providerEvents = hook.received.filter(
    (entry) => (entry.json.data as { scope?: string }).scope === providerScope,
  );
  for (const entry of providerEvents) {
    const data = entry.json.data as { threshold: number; spent_usd: string; budget_usd: string };
    expect(Number(data.spent_usd) * 100).toBeGreaterThanOrEqual(Number(data.budget_usd) * data.threshold);
  }
  // The same events by email: each webhook event id mailed once, to the rule's address and the subscriber.
  const budgetIds = hook.received
    .filter((entry) => [providerScope, keyScope].includes((entry.json.data as { scope?: string }).scope ?? ""))
    .map((entry) => entry.eventId);
  const mailed = smtp.received.filter((mail) => budgetIds.includes(mail.eventId));
  expect(mailed.map((mail) => mail.eventId).sort()).toEqual([...budgetIds].sort());
  for (const mail of mailed) {
    expect(mail.rcptTo.sort()).toEqual(["budget-owners@example.test", finance.email].sort());
    expect(mail.user).toBe("gateway-mailer");
    expect(mail.parsed.html).toBeTruthy();
    expect(mail.parsed.text).toContain("Budget");
  }
  console.log(JSON.stringify({ providerSpent: spent.toString(), keySpent: keySpent.toString() }));
}, 58_000);
