import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/actions/result";
import type { Actor } from "@/lib/auth/session";
import type { RoleName } from "@/lib/auth/roles";
import {
  healthCheckActionSpecs,
  startTestAllSpec,
  updateHealthSettingsSpec,
  updateTranscriptSettingsSpec,
} from "@/lib/health-checks/action-specs";
import {
  importModelsSpec,
  listImportableModelsSpec,
  testCallActionSpecs,
  testKeyCallSpec,
  testModelCallSpec,
} from "@/lib/test-calls/action-specs";
import { POST as playgroundPost } from "@/app/api/playground/route";
import { GET as testRunGet } from "@/app/api/test-runs/[id]/route";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor, sessionOf } from "../support/actors";
import { seedProvider, type Seeded } from "./test-calls-support";

vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);
const signIn = (actor: Actor | null) => session.mockResolvedValue(sessionOf(actor));

let fake: FakeProvider;
let seeded: Seeded;
const actors = {} as Record<RoleName, Actor>;
// "Test all" covers every enabled provider: other files' providers are parked while this file runs.
let parked: string[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
  for (const role of ["ADMIN", "FINANCE", "VIEWER"] as const) actors[role] = await createActor(role);
  parked = (await db.provider.findMany({ where: { enabled: true }, select: { id: true } })).map((p) => p.id);
  await db.provider.updateMany({ where: { id: { in: parked } }, data: { enabled: false } });
  seeded = await seedProvider(actors.ADMIN, fake.url, "openai");
});
afterAll(async () => {
  await db.provider.updateMany({ where: { id: seeded.providerId }, data: { enabled: false } });
  await db.provider.updateMany({ where: { id: { in: parked } }, data: { enabled: true } });
  await db.testCallSettings.deleteMany({});
  await fake.close();
});

// A started run keeps writing in the background; later snapshots must not see it still going.
async function runsSettled() {
  for (let i = 0; i < 200 && (await db.testRun.count({ where: { status: "RUNNING" } })) > 0; i += 1)
    await new Promise((r) => setTimeout(r, 50));
}

type Case = { spec: { name: string }; run: (actor: Actor | null) => Promise<ActionResult<unknown>> };

// One valid request per spec: the same input succeeds for ADMIN and is refused for the rest.
const CASES: Case[] = [
  { spec: testKeyCallSpec, run: (actor) => executeAction(testKeyCallSpec, actor, { keyId: seeded.keyId }) },
  {
    spec: testModelCallSpec,
    run: (actor) => executeAction(testModelCallSpec, actor, { providerId: seeded.providerId, modelId: seeded.modelId }),
  },
  {
    spec: listImportableModelsSpec,
    run: (actor) => executeAction(listImportableModelsSpec, actor, { providerId: seeded.providerId }),
  },
  {
    spec: importModelsSpec,
    run: (actor) => executeAction(importModelsSpec, actor, { providerId: seeded.providerId, modelIds: ["fake-large"] }),
  },
  { spec: startTestAllSpec, run: (actor) => executeAction(startTestAllSpec, actor, {}) },
  {
    spec: updateHealthSettingsSpec,
    run: (actor) => executeAction(updateHealthSettingsSpec, actor, { intervalMinutes: "15", failureThreshold: "4" }),
  },
  {
    spec: updateTranscriptSettingsSpec,
    run: (actor) => executeAction(updateTranscriptSettingsSpec, actor, { storeTranscripts: "on" }),
  },
];

// Everything a test call, import, run or settings change could write.
async function dbState() {
  const [usage, models, runs, settings, health, transcripts, keys, audit] = await Promise.all([
    db.usageRecord.count(),
    db.model.findMany({ orderBy: { id: "asc" }, select: { id: true, modelId: true } }),
    db.testRun.count(),
    db.testCallSettings.findMany(),
    db.providerHealth.findMany({ orderBy: { providerId: "asc" } }),
    db.playgroundTranscript.count(),
    db.providerKey.findMany({
      orderBy: { id: "asc" },
      select: { id: true, lastTestAt: true, lastTestMessage: true, lastUsedAt: true },
    }),
    db.auditEvent.count(),
  ]);
  return JSON.stringify({ usage, models, runs, settings, health, transcripts, keys, audit });
}

describe("test-call, import, run and settings specs by role", () => {
  test("covers every exported spec", () => {
    expect(CASES.map((c) => c.spec.name).sort()).toEqual(
      [...testCallActionSpecs, ...healthCheckActionSpecs].map((spec) => spec.name).sort(),
    );
  });

  describe.each(CASES.map((c) => [c.spec.name, c] as const))("%s", (_name, testCase) => {
    test.each(["FINANCE", "VIEWER", "anonymous"] as const)("is refused for %s and changes nothing", async (role) => {
      const before = await dbState();
      const result = await testCase.run(role === "anonymous" ? null : actors[role]);
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(role === "anonymous" ? /session has ended/ : /role does not allow/);
      expect(await dbState()).toBe(before);
    });

    test("succeeds for ADMIN", async () => {
      const result = await testCase.run(actors.ADMIN);
      expect(result.ok, result.message).toBe(true);
      await runsSettled();
    });
  });
});

describe("route handlers by role", () => {
  const playgroundBody = () =>
    JSON.stringify({ providerId: seeded.providerId, modelId: seeded.modelId, prompt: "hi", maxOutputTokens: 2 });
  const sameOrigin = { host: "console.test", origin: "http://console.test", "content-type": "application/json" };
  const postPlayground = () =>
    playgroundPost(
      new Request("http://console.test/api/playground", {
        method: "POST",
        headers: sameOrigin,
        body: playgroundBody(),
      }),
    );

  test.each([
    ["FINANCE", 403],
    ["VIEWER", 403],
    ["anonymous", 401],
  ] as const)("POST /api/playground is %s → %i with no call and no rows", async (role, status) => {
    signIn(role === "anonymous" ? null : actors[role]);
    fake.reset();
    const before = await dbState();
    const response = await postPlayground();
    expect(response.status).toBe(status);
    expect((await response.json()).ok).toBe(false);
    expect(fake.count()).toBe(0);
    expect(await dbState()).toBe(before);
  });

  test("POST /api/playground streams for ADMIN", async () => {
    signIn(actors.ADMIN);
    const response = await postPlayground();
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"type":"done"');
  });

  test.each([
    ["ADMIN", 200],
    ["FINANCE", 200],
    ["VIEWER", 200],
    ["anonymous", 401],
  ] as const)("GET /api/test-runs/:id for %s → %i", async (role, status) => {
    const run = await db.testRun.findFirstOrThrow({ select: { id: true } });
    signIn(role === "anonymous" ? null : actors[role]);
    const response = await testRunGet(new Request("http://console.test"), { params: Promise.resolve({ id: run.id }) });
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.ok).toBe(status === 200);
    if (status === 200) expect(body.run.id).toBe(run.id);
  });

  test("GET /api/test-runs/:id answers 400 for a malformed id and 404 for an unknown one", async () => {
    signIn(actors.VIEWER);
    const get = (id: string) => testRunGet(new Request("http://console.test"), { params: Promise.resolve({ id }) });
    expect((await get("not-a-uuid")).status).toBe(400);
    expect((await get("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
