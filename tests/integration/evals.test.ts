import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { getServerSession } from "next-auth";
import { parse } from "csv-parse/sync";
import { db, pool } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { cancelRunSpec, createDatasetSpec, createRunSpec, resumeRunSpec, saveCaseSpec } from "@/lib/evals/action-specs";
import { createEvalWorker, type EvalWorker } from "@/lib/evals/worker";
import { toUnits, fromUnits } from "@/lib/usage/money";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { GET as exportRun } from "@/app/api/evals/runs/[id]/export/route";
import { createActor, sessionOf } from "../support/actors";
import { seedProvider, type Seeded } from "./test-calls-support";

// Evaluations end to end against the fake provider: a dataset whose right answers are known (each
// prompt tells the fake what to answer, right for some cases and wrong for others), run on two
// models with deterministic scorers and an LLM judge; the pass counts are compared with a count
// made here from the dataset itself. A worker stopped mid-run as a crash would, and a second
// worker finishing the run, leave every case finished exactly once; EVAL usage adds up to the run's
// cost exactly; cancel and resume; a hard budget fails that provider's cases, not the run.

vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));

let fake: FakeProvider;
let lastRunId = "";
let admin: Actor;
let quick: Seeded;
let slow: Seeded;
const workers: EvalWorker[] = [];

const CASES = Array.from({ length: 12 }, (_, index) => {
  const n = index + 1;
  // Every third case the fake is told to answer wrong.
  const answer = n % 3 === 0 ? String(2 * n + 1) : String(2 * n);
  return {
    prompt: `What is ${n} + ${n}? Answer with the number only. [[fake-reply:${answer}]]`,
    expected: String(2 * n),
  };
});
// Counted from the dataset, not from the code under test: the answer the prompt asks for vs the expected one.
const EXPECTED_CORRECT = CASES.filter(
  (item) => /\[\[fake-reply:([^\]]*)\]\]/.exec(item.prompt)![1] === item.expected,
).length;
const JUDGE_REPLY = '{"score": 8, "reasoning": "Plausible."}';

const jsonl = (cases: { prompt: string; expected: string }[]) => cases.map((item) => JSON.stringify(item)).join("\n");

function startWorker(options: { leaseMs: number; maxInFlight?: number }) {
  const worker = createEvalWorker({ pollMs: 25, ...options });
  workers.push(worker);
  worker.start();
  return worker;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const statusCounts = async (runId: string) => {
  const rows = await db.evalCaseResult.groupBy({ by: ["status"], where: { runId }, _count: true });
  return Object.fromEntries(rows.map((row) => [row.status, row._count])) as Record<string, number>;
};
const runStatus = async (runId: string) =>
  (await db.evalRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } })).status;

async function createDataset(name: string, cases = CASES) {
  const created = await executeAction(createDatasetSpec, admin, { name, format: "jsonl", content: jsonl(cases) });
  expect(created.ok, created.message).toBe(true);
  return created.data!.id;
}

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  quick = await seedProvider(admin, fake.url, "openai", { model: "fake-small", timeoutMs: 5_000 });
  // Slow enough that a worker stopped mid-run leaves calls in flight.
  slow = await seedProvider(admin, fake.url, "openai", { model: "gpt-fake-slow-150", timeoutMs: 5_000 });
}, 60_000);

afterAll(async () => {
  for (const worker of workers) worker.crash();
  await fake?.close();
});

describe("datasets", () => {
  test("a bad file is refused with line numbers and saves nothing", async () => {
    const before = await db.evalDataset.count();
    const content = ['{"prompt": "ok", "expected": "1"}', "{broken", '{"expected": "no input"}'].join("\n");
    const result = await executeAction(createDatasetSpec, admin, { name: "bad-file", format: "jsonl", content });
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.content).toEqual([
      "Line 2: Not valid JSON.",
      "Line 3: Give either a prompt or a messages array (exactly one).",
    ]);
    expect(await db.evalDataset.count()).toBe(before);
  });

  test("editing a case writes a new version and leaves the old one as it was", async () => {
    const datasetId = await createDataset("versioned", CASES.slice(0, 3));
    const v1 = await db.evalDatasetVersion.findFirstOrThrow({ where: { datasetId, version: 1 }, select: { id: true } });
    const first = await db.evalCase.findFirstOrThrow({ where: { datasetVersionId: v1.id, position: 0 } });
    const saved = await executeAction(saveCaseSpec, admin, {
      datasetId,
      baseVersion: 1,
      caseKey: first.caseKey,
      case: JSON.stringify({ prompt: "Edited prompt", expectedOutput: "42" }),
    });
    expect(saved.ok, saved.message).toBe(true);
    expect(saved.data?.version).toBe(2);
    const v2 = await db.evalDatasetVersion.findFirstOrThrow({ where: { datasetId, version: 2 }, select: { id: true } });
    const edited = await db.evalCase.findFirstOrThrow({ where: { datasetVersionId: v2.id, caseKey: first.caseKey } });
    expect(edited).toMatchObject({ prompt: "Edited prompt", expectedOutput: "42", position: 0 });
    expect(await db.evalCase.count({ where: { datasetVersionId: v2.id } })).toBe(3);
    // Version 1 is untouched.
    expect(await db.evalCase.findUniqueOrThrow({ where: { id: first.id } })).toEqual(first);
    // An edit based on a version that is no longer the latest is refused.
    const stale = await executeAction(saveCaseSpec, admin, {
      datasetId,
      baseVersion: 1,
      caseKey: first.caseKey,
      case: JSON.stringify({ prompt: "Lost update", expectedOutput: "1" }),
    });
    expect(stale).toMatchObject({ ok: false });
    expect(stale.message).toMatch(/changed since you opened it/);
  });
});

describe("a run against the fake provider", () => {
  test("scores match the independent count; a stopped worker's cases finish exactly once; EVAL usage equals the run's cost", async () => {
    const datasetId = await createDataset("arithmetic");
    const created = await executeAction(createRunSpec, admin, {
      datasetId,
      targets: [`model:${quick.providerId}:${quick.modelId}`, `model:${slow.providerId}:${slow.modelId}`],
      scorers: JSON.stringify([
        { kind: "EXACT_MATCH", ignoreWhitespace: true },
        { kind: "NUMBER_TOLERANCE", tolerance: 0.5 },
        {
          kind: "LLM_JUDGE",
          rubric: `Full marks for the right number. [[fake-reply:${JUDGE_REPLY}]]`,
          providerId: quick.providerId,
          modelId: quick.modelId,
          maxScore: 10,
          passScore: 7,
        },
      ]),
      concurrency: "3",
      maxOutputTokens: "16",
      startNow: "true",
    });
    expect(created.ok, created.message).toBe(true);
    const runId = created.data!.id;
    lastRunId = runId;
    expect(created.data!.estimatedCost).not.toBeNull();
    expect(Number(created.data!.estimatedCost)).toBeGreaterThan(0);

    // Worker A: stopped abruptly once a few cases are done, with calls in flight.
    let maxLive = 0;
    const liveLeases = async () => {
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM eval_case_results WHERE run_id = $1 AND status = 'RUNNING' AND lease_until > now()",
        [runId],
      );
      maxLive = Math.max(maxLive, rows[0]!.n);
      return statusCounts(runId);
    };
    const a = startWorker({ leaseMs: 800 });
    await waitFor(liveLeases, (counts) => (counts.DONE ?? 0) >= 4 && (counts.RUNNING ?? 0) > 0);
    a.crash();
    const afterCrash = await statusCounts(runId);
    expect(afterCrash.RUNNING ?? 0, "calls were in flight when the worker stopped").toBeGreaterThan(0);
    expect(afterCrash.PENDING ?? 0).toBeGreaterThan(0);

    // Worker B reclaims the stale rows once their lease runs out and finishes the run.
    const b = startWorker({ leaseMs: 800 });
    await waitFor(
      () => runStatus(runId),
      (status) => status === "DONE",
    );
    await b.stop();
    await liveLeases();
    expect(maxLive, "never more calls at once than the run's concurrency").toBeLessThanOrEqual(3);

    const results = await db.evalCaseResult.findMany({
      where: { runId },
      include: { scores: { include: { scorer: true } }, target: true, case: true },
    });
    expect(results).toHaveLength(CASES.length * 2);
    expect(results.every((row) => row.status === "DONE")).toBe(true);
    expect(
      results.some((row) => row.attempts > 1),
      "some cases were taken over from the stopped worker",
    ).toBe(true);
    for (const row of results) expect(row.scores).toHaveLength(3);

    for (const target of [quick, slow]) {
      const mine = results.filter((row) => row.target.modelId === target.modelId);
      const passedBy = (kind: string) =>
        mine.filter((row) => row.scores.find((score) => score.scorer.kind === kind)?.passed).length;
      expect(passedBy("EXACT_MATCH")).toBe(EXPECTED_CORRECT);
      expect(passedBy("NUMBER_TOLERANCE")).toBe(EXPECTED_CORRECT);
      // The judge was told to give 8/10 every time: all pass, each score 0.8, reasoning kept.
      const judged = mine.map((row) => row.scores.find((score) => score.scorer.kind === "LLM_JUDGE")!);
      expect(judged.every((score) => score.passed && score.score?.toFixed(1) === "0.8")).toBe(true);
      expect(judged.every((score) => score.reasoning === "Plausible.")).toBe(true);
      // Each case's answer is in its row, as the fake was told to answer.
      for (const row of mine) expect(row.output).toBe(/\[\[fake-reply:([^\]]*)\]\]/.exec(row.case.prompt!)![1]);
      expect(mine.every((row) => row.latencyMs !== null && row.ttftMs !== null && row.outputTokens > 0)).toBe(true);
    }
    expect(EXPECTED_CORRECT).toBe(8);

    // Every EVAL usage record of the run (answers of every attempt, judge calls) sums to the
    // results' and scores' costs, exactly and so to the cent.
    const ids = results.map((row) => row.id);
    const { rows } = await pool.query<{ cost: string; n: number }>(
      `SELECT COALESCE(sum(cost), 0)::text AS cost, count(*)::int AS n FROM usage_records
        WHERE source = 'EVAL' AND split_part(client_record_id, ':', 1) = ANY($1::text[])`,
      [ids],
    );
    const resultCost = results.reduce((sum, row) => sum + toUnits(row.cost!.toFixed()), 0n);
    const judgeCost = results.reduce(
      (sum, row) => sum + row.scores.reduce((s, score) => s + (score.cost ? toUnits(score.cost.toFixed()) : 0n), 0n),
      0n,
    );
    expect(fromUnits(resultCost + judgeCost)).toBe(fromUnits(toUnits(rows[0]!.cost)));
    expect(resultCost).toBeGreaterThan(0n);
    // One answer record per attempt that reached the provider, plus the judge calls: at least one per result and scorer.
    expect(rows[0]!.n).toBeGreaterThanOrEqual(results.length * 2);
    for (const row of results) {
      const record = await db.usageRecord.findUniqueOrThrow({
        where: { source_clientRecordId: { source: "EVAL", clientRecordId: `${row.id}:${row.attempts}` } },
        select: { id: true, status: true, tag: true },
      });
      expect(record).toMatchObject({ status: "OK", tag: "eval" });
      expect(row.usageRecordId).toBe(record.id);
    }
  }, 90_000);

  test("finance exports the run as CSV: one row per case x target, the answers and verdicts as stored", async () => {
    const finance = await createActor("FINANCE");
    vi.mocked(getServerSession).mockResolvedValue(sessionOf(finance));
    const response = await exportRun(new Request(`http://console.test/api/evals/runs/${lastRunId}/export`), {
      params: Promise.resolve({ id: lastRunId }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const records = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(CASES.length * 2);
    const exact = Object.keys(records[0]!).find((name) => name.startsWith("1 Exact match") && name.endsWith("passed"))!;
    expect(records.filter((record) => record[exact] === "true")).toHaveLength(EXPECTED_CORRECT * 2);
    // Case order, then target order; each answer is the one the prompt asked for.
    expect(records.map((record) => Number(record.case))).toEqual(CASES.flatMap((_, index) => [index + 1, index + 1]));
    for (const record of records) expect(record.output).toBe(/\[\[fake-reply:([^\]]*)\]\]/.exec(record.input!)![1]);
    vi.mocked(getServerSession).mockResolvedValue(null);
  });

  test("cancel stops new calls; resume finishes the remaining cases", async () => {
    const datasetId = await createDataset("cancel-resume");
    const created = await executeAction(createRunSpec, admin, {
      datasetId,
      targets: [`model:${slow.providerId}:${slow.modelId}`],
      scorers: JSON.stringify([{ kind: "EXACT_MATCH" }]),
      concurrency: "1",
      startNow: "true",
    });
    expect(created.ok, created.message).toBe(true);
    const runId = created.data!.id;
    const worker = startWorker({ leaseMs: 5_000 });
    await waitFor(
      () => statusCounts(runId),
      (counts) => (counts.DONE ?? 0) >= 2,
    );
    expect((await executeAction(cancelRunSpec, admin, { runId })).ok).toBe(true);
    await waitFor(
      () => statusCounts(runId),
      (counts) => (counts.RUNNING ?? 0) === 0,
    );
    const stopped = await statusCounts(runId);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await statusCounts(runId)).toEqual(stopped);
    expect(stopped.PENDING ?? 0).toBeGreaterThan(0);
    expect(await runStatus(runId)).toBe("CANCELLED");

    expect((await executeAction(resumeRunSpec, admin, { runId })).ok).toBe(true);
    await waitFor(
      () => runStatus(runId),
      (status) => status === "DONE",
    );
    await worker.stop();
    const counts = await statusCounts(runId);
    expect(counts).toEqual({ DONE: CASES.length });
    expect(await db.evalCaseResult.count({ where: { runId, attempts: { not: 1 } } })).toBe(0);
  }, 60_000);

  test("a route target is called as its pick for one request, labelled with the route's name", async () => {
    const route = await db.route.create({
      data: {
        name: `eval-route-${Date.now()}`,
        versions: {
          create: {
            version: 1,
            strategy: "FALLBACK",
            groups: [{ targets: [{ providerId: quick.providerId, modelId: quick.modelId, weight: 1, params: {} }] }],
          },
        },
      },
      select: { id: true, name: true },
    });
    const datasetId = await createDataset("via-route", CASES.slice(0, 3));
    const created = await executeAction(createRunSpec, admin, {
      datasetId,
      targets: [`route:${route.id}`],
      scorers: JSON.stringify([{ kind: "EXACT_MATCH" }, { kind: "REGEX", pattern: "^\\d+$" }]),
      startNow: "true",
    });
    expect(created.ok, created.message).toBe(true);
    const runId = created.data!.id;
    const worker = startWorker({ leaseMs: 5_000 });
    await waitFor(
      () => runStatus(runId),
      (status) => status === "DONE",
    );
    await worker.stop();
    const results = await db.evalCaseResult.findMany({
      where: { runId },
      include: { target: true, scores: { include: { scorer: true } } },
    });
    expect(results.map((row) => [row.status, row.target.label])).toEqual(
      Array(3).fill(["DONE", `route ${route.name}`]),
    );
    // Every answer is a number, so the pattern (run on a worker thread with a deadline) matches each.
    expect(results.map((row) => row.scores.find((score) => score.scorer.kind === "REGEX")?.passed)).toEqual([
      true,
      true,
      true,
    ]);
    const records = await db.usageRecord.findMany({
      where: { source: "EVAL", clientRecordId: { in: results.map((row) => `${row.id}:1`) } },
      select: { providerId: true, modelId: true },
    });
    expect(records).toEqual(Array(3).fill({ providerId: quick.providerId, modelId: quick.modelId }));
  }, 60_000);

  test("a hard budget that is spent fails that provider's cases with the reason; the run finishes", async () => {
    const capped = await seedProvider(admin, fake.url, "openai", { model: "fake-small" });
    await db.budget.create({
      data: { scope: capped.providerId, providerId: capped.providerId, monthlyAmount: "0", hard: true },
    });
    try {
      const datasetId = await createDataset("budgeted", CASES.slice(0, 3));
      const created = await executeAction(createRunSpec, admin, {
        datasetId,
        targets: [`model:${capped.providerId}:${capped.modelId}`, `model:${quick.providerId}:${quick.modelId}`],
        scorers: JSON.stringify([{ kind: "EXACT_MATCH" }]),
        startNow: "true",
      });
      expect(created.ok, created.message).toBe(true);
      const runId = created.data!.id;
      const worker = startWorker({ leaseMs: 5_000 });
      await waitFor(
        () => runStatus(runId),
        (status) => status === "DONE",
      );
      await worker.stop();
      const results = await db.evalCaseResult.findMany({ where: { runId }, include: { target: true } });
      const cappedRows = results.filter((row) => row.target.providerId === capped.providerId);
      expect(cappedRows.map((row) => [row.status, row.errorClass])).toEqual(Array(3).fill(["FAILED", "budget"]));
      expect(cappedRows[0]!.errorMessage).toMatch(/Budget reached/);
      expect(await db.usageRecord.count({ where: { providerId: capped.providerId, source: "EVAL" } })).toBe(0);
      expect(
        results.filter((row) => row.target.providerId === quick.providerId).every((row) => row.status === "DONE"),
      ).toBe(true);
    } finally {
      await db.budget.deleteMany({ where: { scope: capped.providerId } });
    }
  }, 60_000);
});
