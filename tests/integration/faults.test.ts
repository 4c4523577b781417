// PostgreSQL restarted under a live console, and a hung provider under load: real `next start`
// against a dedicated embedded PostgreSQL this file stops and starts.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate } from "../../scripts/lib/migrate";
import {
  ensureBuild,
  signIn,
  cookieHeader,
  sleep,
  startConsole,
  startDedicatedPostgres,
  type ConsoleProcess,
  type DedicatedPostgres,
} from "./faults-support";

type Lib = {
  fixture: import("./ingest-support").UsageFixture;
  wireRecord: typeof import("./ingest-support").wireRecord;
  db: typeof import("@/lib/db/client").db;
  pool: typeof import("@/lib/db/client").pool;
};

let postgres: DedicatedPostgres | undefined;
let server: ConsoleProcess | undefined;
let lib: Lib;
let admin = { email: "", password: "" };
let hung = { providerId: "", modelId: "" };
ensureBuild();

beforeAll(async () => {
  postgres = await startDedicatedPostgres();
  migrate(postgres.url);
  // The lib modules open their pool from DATABASE_URL when first imported: import them only now.
  process.env.DATABASE_URL = postgres.url;
  process.env.CONSOLE_MASTER_KEYS = (await import("./faults-support")).MASTER_KEYS;
  const { db, pool } = await import("@/lib/db/client");
  const { createUsageFixture, wireRecord } = await import("./ingest-support");
  const { hashPassword } = await import("@/lib/auth/password");
  const { seedProvider } = await import("./test-calls-support");
  admin = { email: `admin-${randomUUID().slice(0, 8)}@example.test`, password: "faults-password-123" };
  const user = await db.user.create({
    data: { email: admin.email, name: "Faults admin", role: "ADMIN", passwordHash: await hashPassword(admin.password) },
    select: { id: true, email: true, name: true, role: true },
  });
  lib = { fixture: await createUsageFixture(), wireRecord, db, pool };
  // A provider whose key makes the fake provider never answer; 2 s timeout, no retries.
  const { startFakeProvider } = await import("@/tests/fake-provider/server");
  const fake = await startFakeProvider();
  afterAllFns.push(() => fake.close());
  const seeded = await seedProvider(user, fake.url, "openai", { apiKey: "fake-hang", timeoutMs: 2_000 });
  hung = { providerId: seeded.providerId, modelId: seeded.modelId };
  server = await startConsole(postgres.url);
}, 180_000);

const afterAllFns: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await server?.stop();
  for (const fn of afterAllFns) await fn().catch(() => undefined);
  await lib?.pool.end().catch(() => undefined);
  await postgres?.dispose();
}, 60_000);

type Outcome = { status: number; body: { ok?: boolean; message?: string } | null; text: string; ms: number };

async function timed(url: string, init?: RequestInit): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
    const text = await response.text();
    let body: Outcome["body"] = null;
    try {
      body = JSON.parse(text) as Outcome["body"];
    } catch {
      body = null;
    }
    return { status: response.status, body, text, ms: performance.now() - started };
  } catch {
    return { status: 0, body: null, text: "", ms: performance.now() - started };
  }
}

describe("faults", () => {
  test("PostgreSQL restarted mid-ingestion: 503s with a message, the process survives, retried batches are stored exactly once", async () => {
    const { url } = server!;
    const { jar } = await signIn(url, admin.email, admin.password);
    const post = (records: unknown[]) =>
      timed(`${url}/api/v1/usage`, {
        method: "POST",
        headers: { authorization: `Bearer ${lib.fixture.token}`, "content-type": "application/json" },
        body: JSON.stringify({ records }),
      });
    const batches = Array.from({ length: 40 }, () => Array.from({ length: 25 }, () => lib.wireRecord(lib.fixture)));
    const sentIds = batches.flat().map((record) => String(record.id));
    const failures: Outcome[] = [];
    let attempts = 0;
    // The outage starts once a quarter of the batches are stored, however fast ingestion is, so
    // the rest meet it (a fixed delay let fast runs finish before PostgreSQL went down).
    let stored = 0;
    let markQuarterStored: () => void = () => undefined;
    const quarterStored = new Promise<void>((resolve) => (markQuarterStored = resolve));
    // Two clients, each sending its batches in order and retrying a failed one (same ids) until stored.
    const client = async (mine: unknown[][]) => {
      for (const batch of mine) {
        for (;;) {
          attempts += 1;
          const outcome = await post(batch);
          if (outcome.status === 200) {
            if ((stored += 1) >= batches.length / 4) markQuarterStored();
            break;
          }
          failures.push(outcome);
          await sleep(300);
        }
        await sleep(40);
      }
    };
    const clients = Promise.all([
      client(batches.filter((_, i) => i % 2 === 0)),
      client(batches.filter((_, i) => i % 2 === 1)),
    ]);

    await quarterStored;
    await postgres!.stop();
    const outage = { health: [] as Outcome[], pages: [] as Outcome[] };
    for (let i = 0; i < 6; i += 1) {
      outage.health.push(await timed(`${url}/api/health`));
      outage.pages.push(await timed(`${url}/api/usage/spend?period=30d`, { headers: { cookie: cookieHeader(jar) } }));
      await sleep(500);
    }
    await postgres!.start();
    await clients;

    expect(server!.alive()).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    // Every refused batch was a 503 with a clear message, never a 500 or a dropped connection.
    for (const failure of failures) {
      expect(failure.status).toBe(503);
      expect(failure.body?.message).toMatch(/database|retry/i);
    }
    for (const health of outage.health) expect(health.status).toBe(503);
    for (const page of outage.pages) expect(page.status).toBe(503);

    const [row] = await lib.db.$queryRawUnsafe<{ total: bigint; distinct_ids: bigint }[]>(
      "SELECT count(*) AS total, count(DISTINCT client_record_id) AS distinct_ids FROM usage_records WHERE client_record_id = ANY($1::text[])",
      sentIds,
    );
    expect(Number(row?.total)).toBe(sentIds.length);
    expect(Number(row?.distinct_ids)).toBe(sentIds.length);

    // Recovered by itself: no restart of the console.
    let health: Outcome = { status: 0, body: null, text: "", ms: 0 };
    for (let i = 0; i < 30 && health.status !== 200; i += 1) {
      health = await timed(`${url}/api/health`);
      if (health.status !== 200) await sleep(500);
    }
    expect(health.status).toBe(200);
    console.info(
      JSON.stringify({
        faults: {
          records: sentIds.length,
          attempts,
          refusedDuringOutage: failures.length,
          outageHealth: outage.health.map((h) => h.status),
          outageSpendExport: outage.pages.map((p) => p.status),
        },
      }),
    );
  }, 120_000);

  test("a hung provider cannot exhaust the server: 20 playground calls time out or are refused, health stays fast", async () => {
    const { url } = server!;
    const { jar, signedIn } = await signIn(url, admin.email, admin.password);
    expect(signedIn).toBe(true);
    const started = performance.now();
    const calls = Array.from({ length: 20 }, () =>
      timed(`${url}/api/playground`, {
        method: "POST",
        headers: { cookie: cookieHeader(jar), "content-type": "application/json", origin: url },
        body: JSON.stringify({
          providerId: hung.providerId,
          modelId: hung.modelId,
          prompt: "hello",
          maxOutputTokens: 8,
        }),
      }),
    );
    await sleep(500);
    const probes: Outcome[] = [];
    for (let i = 0; i < 5; i += 1) probes.push(await timed(`${url}/api/health`));
    const results = await Promise.all(calls);
    const elapsed = performance.now() - started;
    for (const probe of probes) {
      expect(probe.status).toBe(200);
      expect(probe.ms).toBeLessThan(1_000);
    }
    const refused = results.filter((r) => r.status === 429).length;
    const streamed = results.filter((r) => r.status === 200).length;
    expect(refused + streamed).toBe(20);
    expect(streamed).toBeLessThanOrEqual(16);
    for (const result of results.filter((r) => r.status === 200))
      expect(result.text).toContain('"errorClass":"timeout"');
    // Every admitted call ended by its 2 s timeout, not by hanging.
    expect(elapsed).toBeLessThan(15_000);
    console.info(
      JSON.stringify({
        hungProvider: {
          streamed,
          refused,
          elapsedMs: Math.round(elapsed),
          healthMs: probes.map((p) => Math.round(p.ms)),
        },
      }),
    );
  }, 60_000);
});
