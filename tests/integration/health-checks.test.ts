import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db, pool } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { startTestAllSpec, updateHealthSettingsSpec } from "@/lib/health-checks/action-specs";
import { maxOverlap } from "@/lib/health-checks/pool";
import { flaggedProviders, getTestRunProgress, type TestRunProgressDto } from "@/lib/health-checks/queries";
import { createTestRun } from "@/lib/health-checks/run-store";
import { runScheduledCheckIfDue, SCHEDULER_LOCK } from "@/lib/health-checks/scheduler";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { seedProvider, type Seeded } from "./test-calls-support";

let fake: FakeProvider;
let admin: Actor;
// Other files' providers share this database; runs here cover every enabled provider, so those
// are disabled for the duration of this file (files run one at a time) and restored afterwards.
let parked: string[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  parked = (await db.provider.findMany({ where: { enabled: true }, select: { id: true } })).map((p) => p.id);
  await db.provider.updateMany({ where: { id: { in: parked } }, data: { enabled: false } });
});
afterAll(async () => {
  await db.provider.updateMany({ where: { enabled: true }, data: { enabled: false } });
  await db.provider.updateMany({ where: { id: { in: parked } }, data: { enabled: true } });
  await db.testCallSettings.deleteMany({});
  await fake.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls like the page does, keeping every snapshot, until the run is over. */
async function watch(runId: string, timeoutMs = 25_000): Promise<TestRunProgressDto[]> {
  const snapshots: TestRunProgressDto[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = (await getTestRunProgress(runId))!;
    snapshots.push(progress);
    if (progress.run.status !== "RUNNING") return snapshots;
    if (Date.now() > deadline) throw new Error("run did not finish");
    await sleep(50);
  }
}

async function disableAll() {
  await db.provider.updateMany({ where: { enabled: true }, data: { enabled: false } });
}

describe("test all", () => {
  let healthy: Seeded[] = [];
  let broken: Seeded;
  let runId: string;
  let snapshots: TestRunProgressDto[];

  beforeAll(async () => {
    await disableAll();
    healthy = await Promise.all(
      ["openai", "anthropic", "google", "ollama", "groq", "mistral"].map((kind) =>
        seedProvider(admin, fake.url, kind, { model: "fake-slow-250", apiKey: kind === "ollama" ? null : undefined }),
      ),
    );
    broken = await seedProvider(admin, fake.url, "openai", { apiKey: "sk-not-accepted-by-fake" });
    const started = await executeAction(startTestAllSpec, admin, {});
    expect(started.ok, started.message).toBe(true);
    runId = started.data!.runId;
    snapshots = await watch(runId);
  });

  test("progress is visible while it runs and every provider gets a row", async () => {
    const mid = snapshots.filter(
      (s) => s.run.status === "RUNNING" && s.run.completed > 0 && s.run.completed < s.run.total,
    );
    expect(mid.length).toBeGreaterThan(0);
    expect(snapshots.some((s) => s.results.some((r) => r.status === "RUNNING"))).toBe(true);
    const final = snapshots.at(-1)!;
    expect(final.run).toMatchObject({ status: "DONE", total: 7, completed: 7, failed: 1 });
    expect(final.results).toHaveLength(7);
  });

  test("healthy providers report latency, TTFT, tokens and cost; the broken one its error class", async () => {
    const final = snapshots.at(-1)!;
    for (const seeded of healthy) {
      const row = final.results.find((r) => r.providerId === seeded.providerId)!;
      expect(row, seeded.providerId).toMatchObject({
        status: "OK",
        modelName: "fake-slow-250",
        priced: true,
        errorClass: null,
      });
      expect(row.ttftMs!).toBeGreaterThanOrEqual(200);
      expect(row.latencyMs!).toBeGreaterThanOrEqual(row.ttftMs!);
      expect(row.outputTokens).toBeGreaterThan(0);
      expect(Number(row.cost)).toBeGreaterThan(0);
    }
    expect(final.results.find((r) => r.providerId === broken.providerId)).toMatchObject({
      status: "ERROR",
      errorClass: "invalid_key",
    });
    expect(JSON.stringify(final)).not.toContain(broken.apiKey);
    const usage = await db.usageRecord.count({
      where: { source: "TEST", tag: "health-check", providerId: { in: [...healthy, broken].map((s) => s.providerId) } },
    });
    expect(usage).toBe(7);
  });

  test("at most four calls are in flight at once, and they do overlap", async () => {
    const rows = await db.testRunResult.findMany({ where: { runId }, select: { startedAt: true, finishedAt: true } });
    const overlap = maxOverlap(rows.map((r) => ({ start: r.startedAt!.getTime(), end: r.finishedAt!.getTime() })));
    expect(overlap).toBeLessThanOrEqual(4);
    expect(overlap).toBeGreaterThanOrEqual(2);
  });

  test("the keys' last-test fields are updated by the run", async () => {
    const key = await db.providerKey.findUniqueOrThrow({
      where: { id: broken.keyId! },
      select: { lastTestOk: true, lastTestMessage: true },
    });
    expect(key.lastTestOk).toBe(false);
    expect(key.lastTestMessage).toContain("invalid_key");
  });

  test("starting while a run is live returns that run instead of a second one", async () => {
    const first = await executeAction(startTestAllSpec, admin, {});
    const second = await executeAction(startTestAllSpec, admin, {});
    expect(first.data?.created).toBe(true);
    expect(second.data).toEqual({ runId: first.data!.runId, created: false });
    await watch(first.data!.runId);
  });
});

describe("consecutive failures", () => {
  test("a provider failing N checks in a row is flagged (still enabled); one success clears it", async () => {
    await disableAll();
    const failing = await seedProvider(admin, fake.url, "openai", { model: "gpt-fake-500" });
    const fine = await seedProvider(admin, fake.url, "anthropic");
    expect(
      (await executeAction(updateHealthSettingsSpec, admin, { intervalMinutes: "0", failureThreshold: "2" })).ok,
    ).toBe(true);

    const flaggedIds = async () => (await flaggedProviders()).providers.map((p) => p.providerId);
    for (let check = 1; check <= 2; check += 1) {
      expect(await flaggedIds()).not.toContain(failing.providerId);
      await watch((await executeAction(startTestAllSpec, admin, {})).data!.runId);
    }
    expect(await flaggedIds()).toContain(failing.providerId);
    expect(await flaggedIds()).not.toContain(fine.providerId);
    expect(await db.providerHealth.findUnique({ where: { providerId: failing.providerId } })).toMatchObject({
      consecutiveFailures: 2,
      lastErrorClass: "provider_error",
    });
    expect((await db.provider.findUniqueOrThrow({ where: { id: failing.providerId } })).enabled).toBe(true);

    await db.model.update({ where: { id: failing.modelId }, data: { modelId: "fake-small" } });
    await watch((await executeAction(startTestAllSpec, admin, {})).data!.runId);
    expect(await flaggedIds()).not.toContain(failing.providerId);
    expect(await db.providerHealth.findUnique({ where: { providerId: failing.providerId } })).toMatchObject({
      consecutiveFailures: 0,
      lastOk: true,
    });
  });
});

describe("scheduled health check", () => {
  test("off by default, runs when due, not again until the interval passes", async () => {
    await disableAll();
    await db.testCallSettings.deleteMany({});
    await seedProvider(admin, fake.url, "openai");
    expect(await runScheduledCheckIfDue()).toBe("off");

    await executeAction(updateHealthSettingsSpec, admin, { intervalMinutes: "5", failureThreshold: "3" });
    const before = await db.testRun.count({ where: { trigger: "SCHEDULED" } });
    expect(await runScheduledCheckIfDue()).toBe("ran");
    const run = await db.testRun.findFirstOrThrow({ where: { trigger: "SCHEDULED" }, orderBy: { startedAt: "desc" } });
    expect(run).toMatchObject({ status: "DONE", total: 1, completed: 1, failed: 0, startedById: null });
    expect(await db.testRun.count({ where: { trigger: "SCHEDULED" } })).toBe(before + 1);

    expect(await runScheduledCheckIfDue()).toBe("not-due");
    expect(await runScheduledCheckIfDue(new Date(Date.now() + 6 * 60_000))).toBe("ran");
  });

  test("only the instance holding the advisory lock runs it", async () => {
    const other = await pool.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [SCHEDULER_LOCK]);
      expect(await runScheduledCheckIfDue(new Date(Date.now() + 60 * 60_000))).toBe("busy");
    } finally {
      await other.query("SELECT pg_advisory_unlock($1)", [SCHEDULER_LOCK]);
      other.release();
    }
  });
});

describe("interrupted runs", () => {
  test("a run whose instance died shows as interrupted and is closed by the next start", async () => {
    await disableAll();
    const stale = await db.testRun.create({
      data: {
        trigger: "MANUAL",
        total: 1,
        heartbeatAt: new Date(Date.now() - 5 * 60_000),
        results: { create: { providerId: "00000000-0000-0000-0000-000000000001", providerName: "gone" } },
      },
    });
    expect((await getTestRunProgress(stale.id))!.run.status).toBe("INTERRUPTED");
    const started = await createTestRun("MANUAL", admin);
    expect(started.created).toBe(true);
    const closed = (await getTestRunProgress(stale.id))!;
    expect(closed.run.status).toBe("DONE");
    expect(closed.results[0]).toMatchObject({ status: "ERROR", errorClass: "interrupted" });
    await db.testRun.update({ where: { id: started.runId }, data: { status: "DONE" } });
  });
});
