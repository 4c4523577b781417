import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { randomBytes, randomUUID } from "node:crypto";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { auditNewlyUndecryptable, invalidateSecretsScan, scanSecrets } from "@/lib/crypto/secrets-health";
import { startTestAllSpec, updateHealthSettingsSpec } from "@/lib/health-checks/action-specs";
import { getTestRunProgress } from "@/lib/health-checks/queries";
import { expireKeys } from "@/lib/keys/expire-keys";
import { runDeliveryWorker } from "@/lib/notifications/deliver";
import { checkErrorRates } from "@/lib/notifications/error-rate";
import { checkKeyExpiry } from "@/lib/notifications/key-expiry";
import { checkSpendAnomalies } from "@/lib/notifications/spend-anomaly";
import { recordUsage, type UsageInput } from "@/lib/usage/record-usage";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { createUsageFixture, type UsageFixture } from "./ingest-support";
import { createChannelFor, startReceiver, waitFor, type Receiver } from "./notifications-support";
import { letters, seedProvider } from "./test-calls-support";

// The condition events besides budgets (#16): provider health flagged and recovered, keys
// expiring and expired, a provider's error rate over 5 minutes, a day's spend against the
// trailing week, undecryptable secrets. Each fires once per condition and period however many
// checks run at once, is an audit event, and reaches a webhook whose rule names its kind.

const DAY = 86_400_000;
let admin: Actor;
let fake: FakeProvider;
let receiver: Receiver;
let channelId: string;
let parked: string[] = [];

const eventsFor = (kind: string, dedupePrefix: string) =>
  db.notificationOutbox.findMany({
    where: { kind, dedupeKey: { startsWith: dedupePrefix } },
    select: { id: true, severity: true, payload: true, dedupeKey: true },
    orderBy: { createdAt: "asc" },
  });

beforeAll(async () => {
  admin = await createActor("ADMIN");
  fake = await startFakeProvider();
  receiver = await startReceiver();
  // Health and key-expiry kinds only: spend and error-rate events of other files' data stay out.
  ({ channelId } = await createChannelFor(admin, receiver, {
    eventKinds: ["provider.unhealthy", "provider.recovered", "gateway_key.expiring"],
    minSeverity: "INFO",
  }));
  parked = (await db.provider.findMany({ where: { enabled: true }, select: { id: true } })).map((p) => p.id);
  await db.provider.updateMany({ where: { id: { in: parked } }, data: { enabled: false } });
});

afterAll(async () => {
  await db.provider.updateMany({ where: { enabled: true }, data: { enabled: false } });
  await db.provider.updateMany({ where: { id: { in: parked } }, data: { enabled: true } });
  await db.testCallSettings.deleteMany({});
  await db.notificationChannel.update({ where: { id: channelId }, data: { enabled: false } });
  await receiver.close();
  await fake.close();
});

async function runTestAll(): Promise<void> {
  const started = await executeAction(startTestAllSpec, admin, {});
  expect(started.ok, started.message).toBe(true);
  await waitFor(
    async () => (await getTestRunProgress(started.data!.runId))?.run.status !== "RUNNING",
    25_000,
    "test run",
  );
}

describe("provider health", () => {
  test("crossing the flag threshold announces unhealthy once; the first success after announces recovered once", async () => {
    const failing = await seedProvider(admin, fake.url, "openai", { model: "gpt-fake-500" });
    expect(
      (await executeAction(updateHealthSettingsSpec, admin, { intervalMinutes: "0", failureThreshold: "2" })).ok,
    ).toBe(true);
    const prefix = (kind: string) => `${kind}:${failing.providerId}:`;

    await runTestAll();
    expect(await eventsFor("provider.unhealthy", prefix("provider.unhealthy"))).toHaveLength(0);
    await runTestAll(); // second failure in a row: flagged
    await runTestAll(); // third: still flagged, nothing new
    const unhealthy = await eventsFor("provider.unhealthy", prefix("provider.unhealthy"));
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]).toMatchObject({
      severity: "CRITICAL",
      payload: {
        provider_id: failing.providerId,
        consecutive_failures: 2,
        threshold: 2,
        error_class: "provider_error",
      },
    });
    expect(await db.auditEvent.count({ where: { action: "notification.event", targetId: unhealthy[0]!.id } })).toBe(1);

    await db.model.update({ where: { id: failing.modelId }, data: { modelId: "fake-small" } });
    await runTestAll();
    await runTestAll(); // healthy again and again: one recovery
    const recovered = await eventsFor("provider.recovered", prefix("provider.recovered"));
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ severity: "INFO", payload: { failures_before: 3 } });

    // A second episode is a second announcement.
    await db.model.update({ where: { id: failing.modelId }, data: { modelId: "gpt-fake-500" } });
    await runTestAll();
    await runTestAll();
    expect(await eventsFor("provider.unhealthy", prefix("provider.unhealthy"))).toHaveLength(2);

    const ids = [...unhealthy, ...recovered].map((event) => event.id);
    await waitFor(
      async () => {
        await runDeliveryWorker({ baseDelayMs: 100 });
        return ids.every((id) => receiver.uniqueIds().has(id));
      },
      15_000,
      "webhook deliveries",
    );
    const bodies = receiver.received.filter((entry) => ids.includes(entry.eventId));
    expect(bodies.every((entry) => entry.signatureValid)).toBe(true);
    expect(bodies.map((entry) => entry.json.kind).sort()).toEqual(["provider.recovered", "provider.unhealthy"]);
  });
});

describe("key expiry", () => {
  test("keys expiring within the window are announced once each, expired gateway keys once, old or far ones never", async () => {
    const now = new Date();
    const seeded = await seedProvider(admin, fake.url, "openai", { enabled: false });
    const soon = new Date(now.getTime() + 3 * DAY);
    await db.providerKey.update({ where: { id: seeded.keyId! }, data: { expiresAt: soon } });
    const far = await seedProvider(admin, fake.url, "openai", { enabled: false });
    await db.providerKey.update({ where: { id: far.keyId! }, data: { expiresAt: new Date(now.getTime() + 30 * DAY) } });

    const team = await db.team.create({ data: { name: `expiry-${letters()}` }, select: { id: true } });
    const gatewayKey = (name: string, expiresAt: Date | null) =>
      db.gatewayKey.create({
        data: {
          teamId: team.id,
          name,
          keyHash: randomBytes(32).toString("hex"),
          last4: letters().slice(0, 4),
          expiresAt,
        },
        select: { id: true },
      });
    const expiring = await gatewayKey("expiring", new Date(now.getTime() + 2 * DAY));
    const expired = await gatewayKey("expired", new Date(now.getTime() - DAY));
    const ancient = await gatewayKey("ancient", new Date(now.getTime() - 30 * DAY));
    const forever = await gatewayKey("forever", null);

    // Concurrent checks (two instances' ticks) and a later one write each event once.
    await Promise.all([checkKeyExpiry(now), checkKeyExpiry(now)]);
    await checkKeyExpiry(new Date(now.getTime() + 60_000));
    const byKey = async (kind: string, id: string) => (await eventsFor(kind, `${kind}:${id}:`)).length;
    expect(await byKey("provider_key.expiring", seeded.keyId!)).toBe(1);
    expect(await byKey("provider_key.expiring", far.keyId!)).toBe(0);
    expect(await byKey("gateway_key.expiring", expiring.id)).toBe(1);
    expect(await byKey("gateway_key.expired", expired.id)).toBe(1);
    expect(await byKey("gateway_key.expiring", expired.id)).toBe(0);
    expect(await byKey("gateway_key.expired", ancient.id)).toBe(0);
    expect((await byKey("gateway_key.expiring", forever.id)) + (await byKey("gateway_key.expired", forever.id))).toBe(
      0,
    );
    const [event] = await eventsFor("provider_key.expiring", `provider_key.expiring:${seeded.keyId}:`);
    expect(event).toMatchObject({ severity: "WARNING", payload: { days_left: 3, expires_at: soon.toISOString() } });
    expect(JSON.stringify(event)).not.toContain(seeded.apiKey);

    // A moved expiry is a new condition; a revoked gateway key is no longer announced.
    await db.gatewayKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(now.getTime() + 4 * DAY) } });
    await checkKeyExpiry(now);
    expect(await byKey("gateway_key.expiring", expiring.id)).toBe(2);
    const revokedSoon = await gatewayKey("revoked", new Date(now.getTime() + DAY));
    await db.gatewayKey.update({ where: { id: revokedSoon.id }, data: { status: "REVOKED", revokedAt: now } });
    await checkKeyExpiry(now);
    expect(await byKey("gateway_key.expiring", revokedSoon.id)).toBe(0);

    // The provider key's expiry: the sweep that marks it EXPIRED writes the event in its transaction.
    const past = new Date(now.getTime() - 1000);
    await db.providerKey.update({ where: { id: seeded.keyId! }, data: { expiresAt: past } });
    await Promise.all([expireKeys(now), expireKeys(now)]);
    expect((await db.providerKey.findUniqueOrThrow({ where: { id: seeded.keyId! } })).status).toBe("EXPIRED");
    const expiredEvents = await eventsFor("provider_key.expired", `provider_key.expired:${seeded.keyId}:`);
    expect(expiredEvents).toHaveLength(1);
    expect(expiredEvents[0]).toMatchObject({ severity: "CRITICAL", payload: { provider_id: seeded.providerId } });
  });
});

describe("error rate", () => {
  let fixtures: UsageFixture[];
  beforeAll(async () => {
    fixtures = await Promise.all([1, 2, 3, 4].map(() => createUsageFixture()));
  });

  /** `ok` successes and `errors` failures of class `errorClass`, a minute ago. */
  const calls = (fixture: UsageFixture, ok: number, errors: number, errorClass = "provider_error"): UsageInput[] =>
    Array.from({ length: ok + errors }, (_, index) => ({
      occurredAt: new Date(Date.now() - 60_000),
      providerId: fixture.providerId,
      modelId: fixture.pricedModel.id,
      keyId: null,
      tag: "",
      inputTokens: 10,
      cachedInputTokens: 0,
      outputTokens: 10,
      latencyMs: 100,
      ttftMs: null,
      status: index < ok ? "OK" : "ERROR",
      errorClass: index < ok ? null : errorClass,
      httpStatus: index < ok ? 200 : 500,
    }));

  test("a provider failing 25 % or more of at least 20 calls in 5 minutes is announced once per hour", async () => {
    const [high, low, few, callerFaults] = fixtures as [UsageFixture, UsageFixture, UsageFixture, UsageFixture];
    await recordUsage(
      [
        ...calls(high, 21, 9), // 30 %
        ...calls(low, 26, 4), // 13 %
        ...calls(few, 0, 15), // 100 % of 15: too few calls
        ...calls(callerFaults, 10, 20, "bad_request"), // the callers' own mistakes
      ],
      { source: "INGEST" },
    );
    // Calls older than the window do not count.
    await recordUsage(
      calls(low, 0, 40).map((call) => ({ ...call, occurredAt: new Date(Date.now() - 6 * 60_000) })),
      { source: "INGEST" },
    );
    const now = new Date();
    await Promise.all([checkErrorRates(now), checkErrorRates(now)]);
    await checkErrorRates(new Date(now.getTime() + 1000));
    const of = (fixture: UsageFixture) =>
      eventsFor("provider.error_rate_high", `provider.error_rate_high:${fixture.providerId}:`);
    const events = await of(high);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      severity: "CRITICAL",
      dedupeKey: `provider.error_rate_high:${high.providerId}:${now.toISOString().slice(0, 13)}`,
      payload: { requests: 30, errors: 9, error_percent: 30, provider_name: high.providerName },
    });
    for (const quiet of [low, few, callerFaults]) expect(await of(quiet)).toHaveLength(0);
  });
});

describe("spend anomaly", () => {
  // A September 2025 week no other file writes to: the fixture's price then is $2 per million
  // output tokens, so 500,000 output tokens cost exactly $1.00.
  const day = (n: number) => new Date(Date.UTC(2025, 8, n, 12));
  const dollars = (fixture: UsageFixture, on: Date, count: number, teamId: string | null = null): UsageInput[] =>
    Array.from({ length: count }, () => ({
      clientRecordId: randomUUID(),
      occurredAt: on,
      providerId: fixture.providerId,
      modelId: fixture.pricedModel.id,
      keyId: null,
      tag: "",
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 500_000,
      latencyMs: 100,
      ttftMs: null,
      status: "OK",
      errorClass: null,
      httpStatus: 200,
      teamId,
    }));

  test("a day at 3× the trailing 7-day average is announced once, overall and per team; no history, no anomaly", async () => {
    const fixture = await createUsageFixture();
    const team = await db.team.create({ data: { name: `anomaly-${letters()}` }, select: { id: true } });
    // $1 a day on 8-14 September overall, of which the team's on the 12th and 14th (its average 2/7).
    for (let n = 8; n <= 14; n += 1)
      await recordUsage(dollars(fixture, day(n), 1, n === 12 || n === 14 ? team.id : null), { source: "INGEST" });
    const at = new Date(Date.UTC(2025, 8, 15, 18));
    const overall = () => eventsFor("spend.anomaly", "spend.anomaly:overall:2025-09-15");
    const ofTeam = () => eventsFor("spend.anomaly", `spend.anomaly:team:${team.id}:2025-09-15`);

    // 15 September: $2.50 overall (2.5×, under 3×), of which the team's $0 so far.
    await recordUsage(dollars(fixture, day(15), 2), { source: "INGEST" });
    await recordUsage(
      dollars(fixture, day(15), 1).map((record) => ({ ...record, outputTokens: 250_000 })),
      { source: "INGEST" },
    );
    expect(await checkSpendAnomalies(at)).toBe(0);
    expect(await overall()).toHaveLength(0);

    // $1 more, the team's: overall $3.50 (3.5×), the team $1 against 2/7 a day (3.5×).
    await recordUsage(dollars(fixture, day(15), 1, team.id), { source: "INGEST" });
    await Promise.all([checkSpendAnomalies(at), checkSpendAnomalies(at)]);
    await checkSpendAnomalies(at);
    const [event] = await overall();
    expect(await overall()).toHaveLength(1);
    expect(event).toMatchObject({
      severity: "WARNING",
      payload: { spent_usd: "3.5000000000", average_usd: "1.0000000000", multiple: 3.5, day: "2025-09-15" },
    });
    const teamEvents = await ofTeam();
    expect(teamEvents).toHaveLength(1);
    expect(teamEvents[0]).toMatchObject({ payload: { spent_usd: "1.0000000000", multiple: 3.5, scope_id: team.id } });

    // A team whose first spend is today has no trailing average: nothing to compare.
    const newcomer = await db.team.create({ data: { name: `newcomer-${letters()}` }, select: { id: true } });
    await recordUsage(dollars(fixture, day(15), 5, newcomer.id), { source: "INGEST" });
    await checkSpendAnomalies(at);
    expect(await eventsFor("spend.anomaly", `spend.anomaly:team:${newcomer.id}:`)).toHaveLength(0);
  });
});

describe("undecryptable secrets", () => {
  test("a secret that stops opening is announced once, with its audit event, however many scans see it", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { enabled: false });
    const original = await db.providerKey.findUniqueOrThrow({
      where: { id: seeded.keyId! },
      select: { ciphertext: true },
    });
    const tampered = original.ciphertext.slice(0, -2) + (original.ciphertext.endsWith("A") ? "BA" : "AA");
    try {
      await db.providerKey.update({ where: { id: seeded.keyId! }, data: { ciphertext: tampered } });
      invalidateSecretsScan();
      const report = await scanSecrets({ fresh: true });
      await Promise.all([auditNewlyUndecryptable(report), auditNewlyUndecryptable(report)]);
      await auditNewlyUndecryptable(await scanSecrets({ fresh: true }));
      const events = await eventsFor(
        "secret.undecryptable",
        `secret.undecryptable:provider_keys.ciphertext:${seeded.keyId}`,
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ severity: "CRITICAL", payload: { row_id: seeded.keyId } });
      expect(await db.auditEvent.count({ where: { action: "key.undecryptable", targetId: seeded.keyId! } })).toBe(1);
      expect(JSON.stringify(events)).not.toContain(seeded.apiKey);
    } finally {
      await db.providerKey.update({ where: { id: seeded.keyId! }, data: { ciphertext: original.ciphertext } });
      invalidateSecretsScan();
    }
  });
});
