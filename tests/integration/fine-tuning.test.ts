import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getServerSession } from "next-auth";
import OpenAI from "openai";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { cancelJobSpec, createJobSpec } from "@/lib/fine-tuning/action-specs";
import { addPriceSpec } from "@/lib/providers/price-specs";
import { buildSpendReport } from "@/lib/usage/spend-report";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { pollFineTuneJobs } from "@/lib/fine-tuning/jobs";
import { fineTuningProvider, providerCheckpoints } from "@/lib/fine-tuning/openai-client";
import { CheckpointsCard } from "@/components/fine-tuning/checkpoints-card";
import { renderToStaticMarkup } from "react-dom/server";
import { runExclusive } from "@/lib/jobs/run-exclusive";
import { POST as validateRoute } from "@/app/api/fine-tuning/validate/route";
import { POST as uploadRoute } from "@/app/api/fine-tuning/files/route";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor, sessionOf } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { seedProvider } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey } from "./gateway-support";

// Fine-tuning end to end against the fake provider's OpenAI fine-tuning API (docs/fine-tuning.md):
// validation before anything is sent, a streamed upload (byte count and SHA-256 as the provider
// received them), a job that fails mid-way, jobs that succeed and are registered (priced from the
// base model's fine-tuned price, or unpriced), the training cost in the usage ledger to the cent
// (worked out here from the fake's documented trained_tokens rule), and the model then called
// through a real gateway process. The decoded session is stood in for, as in route-pipeline.test.ts.
vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

const HOST = "console.test";
const ORIGIN = `http://${HOST}`;
const TRAINING_PRICE = "8"; // $ per 1M trained tokens
const FT_INPUT = "0.3";
const FT_OUTPUT = "1.2";

let fake: FakeProvider;
let gateway: GatewayProcess | undefined;
let admin: Actor;
let viewer: Actor;
let providerId: string;
let baseModelId: string;

const example = (n: number) =>
  JSON.stringify({
    messages: [
      { role: "system", content: "You are the support bot." },
      { role: "user", content: `How do I reset password #${n}?` },
      { role: "assistant", content: `Open Settings, then Security, then reset #${n}.` },
    ],
  });

function fileRequest(path: string, query: Record<string, string>, body: BodyInit): Request {
  const headers = new Headers({ host: HOST, origin: ORIGIN, "content-type": "application/octet-stream" });
  // As a browser declares it (the stream below declares none: it is passed on chunked).
  if (typeof body === "string") headers.set("content-length", String(Buffer.byteLength(body)));
  return new Request(`${ORIGIN}${path}?${new URLSearchParams(query)}`, {
    method: "POST",
    headers,
    body,
    // Node's Request needs this for a stream body.
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

type Report = {
  ok: boolean;
  errors: { line: number; message: string }[];
  sha256: string;
  bytes: number;
  tokens: number;
};

async function validate(text: string, purpose = "training") {
  const response = await validateRoute(
    fileRequest("/api/fine-tuning/validate", { providerId, purpose, fileName: "train.jsonl" }, text),
  );
  return { status: response.status, body: (await response.json()) as { ok: boolean; report: Report } };
}

async function upload(body: BodyInit, sha256: string, purpose = "training") {
  const response = await uploadRoute(
    fileRequest("/api/fine-tuning/files", { providerId, purpose, fileName: `${purpose}.jsonl`, sha256 }, body),
  );
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; file?: { id: string; providerFileId: string }; report?: Report },
  };
}

/** Polls (under the poller's lock, as the maintenance tick does) until the job has finished. */
async function pollUntilFinished(jobId: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await runExclusive("fine-tuning.poll", () => pollFineTuneJobs());
    const job = await db.fineTuneJob.findUniqueOrThrow({ where: { id: jobId } });
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status) || Date.now() > until) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Exact cost in $ with 10 decimals: tokens × price / 1M (price a plain decimal string). */
function exactCost(tokens: number, price: string): string {
  const [whole, fraction = ""] = price.split(".");
  const priceUnits = BigInt(whole!) * 10n ** 10n + BigInt(fraction.padEnd(10, "0"));
  const units = (BigInt(tokens) * priceUnits + 500_000n) / 1_000_000n;
  return `${units / 10n ** 10n}.${(units % 10n ** 10n).toString().padStart(10, "0")}`;
}

let trainingFileId: string;
let trainingBytes: number;

beforeAll(async () => {
  fake = await startFakeProvider({ fineTuneStepMs: 120 });
  admin = await createActor("ADMIN");
  viewer = await createActor("VIEWER");
  session.mockResolvedValue(sessionOf(admin));
  const seeded = await seedProvider(admin, fake.url, "openai", { price: { input: "2.5", output: "10" } });
  providerId = seeded.providerId;
  baseModelId = seeded.modelId;
  await db.modelPrice.updateMany({ where: { modelId: baseModelId }, data: { trainingPerMTok: TRAINING_PRICE } });
}, 60_000);

afterAll(async () => {
  session.mockReset();
  await gateway?.stop();
  await fake?.close();
});

describe("fine-tuning", () => {
  it("names exactly the lines with mistakes, and sends nothing to the provider", async () => {
    const lines = Array.from({ length: 14 }, (_, i) => example(i));
    lines[2] = '{"messages": [{"role": "user", "content": "no answer here"}]}';
    lines[6] = "{not json";
    lines[10] = JSON.stringify({
      messages: [
        { role: "wizard", content: "x" },
        { role: "assistant", content: "y" },
      ],
    });
    lines[11] = JSON.stringify({
      messages: [
        { role: "user", content: "" },
        { role: "assistant", content: "y" },
      ],
    });
    const { status, body } = await validate(`${lines.join("\n")}\n`);
    expect(status).toBe(200);
    expect(body.report.ok).toBe(false);
    expect(body.report.errors.map((error) => error.line)).toEqual([3, 7, 11, 12]);
    expect(body.report.errors[0]!.message).toMatch(/^Line 3 has no assistant message/);
    expect(fake.count("openai.files")).toBe(0);

    // Uploading it anyway (skipping the validation step) completes no provider file and stores nothing.
    const sha = createHash("sha256")
      .update(`${lines.join("\n")}\n`)
      .digest("hex");
    const refused = await upload(`${lines.join("\n")}\n`, sha);
    expect(refused.status).toBe(422);
    expect(refused.body.report!.errors.map((error) => error.line)).toEqual([3, 7, 11, 12]);
    expect(fake.fineTuning.files.size).toBe(0);
    expect(await db.fineTuneFile.count({ where: { providerId } })).toBe(0);
  });

  it("refuses a viewer, and a provider kind without fine-tuning", async () => {
    session.mockResolvedValue(sessionOf(viewer));
    const response = await validateRoute(
      fileRequest("/api/fine-tuning/validate", { providerId, purpose: "training", fileName: "a.jsonl" }, "x"),
    );
    expect(response.status).toBe(403);
    session.mockResolvedValue(sessionOf(admin));
    const other = await seedProvider(admin, fake.url, "anthropic");
    const refused = await validateRoute(
      fileRequest(
        "/api/fine-tuning/validate",
        { providerId: other.providerId, purpose: "training", fileName: "a.jsonl" },
        example(1),
      ),
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/not supported for Anthropic/);
  });

  it("uploads a good file: the provider receives every byte, with the SHA-256 computed here", async () => {
    const text = `${Array.from({ length: 40 }, (_, i) => example(i)).join("\n")}\n`;
    const sha = createHash("sha256").update(text).digest("hex");
    const checked = await validate(text);
    expect(checked.body.report.ok).toBe(true);
    expect(checked.body.report.sha256).toBe(sha);
    const uploaded = await upload(text, sha);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const received = fake.fineTuning.files.get(uploaded.body.file!.providerFileId)!;
    expect(received.bytes).toBe(Buffer.byteLength(text));
    expect(received.sha256).toBe(sha);
    const row = await db.fineTuneFile.findUniqueOrThrow({ where: { id: uploaded.body.file!.id } });
    expect(row).toMatchObject({ bytes: Buffer.byteLength(text), lineCount: 40, sha256: sha, purpose: "TRAINING" });
    expect(row.tokenCount).toBe(checked.body.report.tokens);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "fine_tune.file_uploaded", targetId: row.id },
    });
    expect(JSON.stringify(audit.details)).not.toContain("reset password");
    trainingFileId = row.id;
    trainingBytes = row.bytes;
  });

  it(
    "streams a 100 MB upload through without holding it, slowly arriving, to the provider",
    { timeout: 180_000 },
    async () => {
      const encoder = new TextEncoder();
      const line = encoder.encode(`${example(7)}\n`);
      const perChunk = Math.floor((256 * 1024) / line.length);
      const chunk = new Uint8Array(perChunk * line.length);
      for (let i = 0; i < perChunk; i += 1) chunk.set(line, i * line.length);
      const total = Math.ceil((100 * 1024 * 1024) / chunk.length);
      const hash = createHash("sha256");
      for (let i = 0; i < total; i += 1) hash.update(chunk);
      const sha = hash.digest("hex");
      let sent = 0;
      let heapStart = 0;
      let heapPeak = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === total) return controller.close();
          if (sent === 40) {
            global.gc?.();
            heapStart = process.memoryUsage().heapUsed;
          }
          if (heapStart) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
          // A slow connection: a pause every few chunks.
          if (sent % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
          sent += 1;
          controller.enqueue(chunk.slice());
        },
      });
      const uploaded = await upload(body, sha);
      expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 500)).toBe(200);
      const received = fake.fineTuning.files.get(uploaded.body.file!.providerFileId)!;
      expect(received.bytes).toBe(total * chunk.length);
      expect(received.sha256).toBe(sha);
      expect(heapPeak - heapStart).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it("a job that fails mid-way ends FAILED with its events kept, and registers nothing", async () => {
    const created = await executeAction(createJobSpec, admin, {
      providerId,
      baseModelId,
      trainingFileId,
      suffix: "will-fail",
      epochs: "2",
    });
    expect(created.ok, created.message).toBe(true);
    const job = await pollUntilFinished(created.data!.id);
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatch(/Simulated failure at step 3/);
    const events = await db.fineTuneEvent.findMany({ where: { jobId: job.id } });
    expect(
      events
        .filter((event) => event.step !== null)
        .map((event) => event.step)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(events.find((event) => event.step === 1)!.trainLoss).toBeCloseTo(1.6, 6);
    expect(await db.model.count({ where: { fineTuneJobId: job.id } })).toBe(0);
    expect(await db.usageRecord.count({ where: { source: "FINE_TUNE", clientRecordId: `fine-tune:${job.id}` } })).toBe(
      0,
    );
    expect(await db.auditEvent.count({ where: { action: "fine_tune.job_failed", targetId: job.id } })).toBe(1);
  });

  it("a viewer cannot create or cancel; an admin cancels a running job", async () => {
    const refused = await executeAction(createJobSpec, viewer, {
      providerId,
      baseModelId,
      trainingFileId,
      suffix: "x",
    });
    expect(refused.ok).toBe(false);
    const created = await executeAction(createJobSpec, admin, {
      providerId,
      baseModelId,
      trainingFileId,
      suffix: "to-cancel",
    });
    expect(created.ok, created.message).toBe(true);
    expect((await executeAction(cancelJobSpec, viewer, { jobId: created.data!.id })).ok).toBe(false);
    const cancelled = await executeAction(cancelJobSpec, admin, { jobId: created.data!.id });
    expect(cancelled.ok, cancelled.message).toBe(true);
    const job = await pollUntilFinished(created.data!.id);
    expect(job.status).toBe("CANCELLED");
    expect(await db.model.count({ where: { fineTuneJobId: job.id } })).toBe(0);
  });

  let unpricedModel = "";
  let pricedModel = "";

  it("a job that succeeds: the model is registered unpriced, the training cost recorded to the cent", async () => {
    const created = await executeAction(createJobSpec, admin, {
      providerId,
      baseModelId,
      trainingFileId,
      suffix: "support",
      epochs: "2",
      learningRateMultiplier: "0.5",
      batchSize: "4",
    });
    expect(created.ok, created.message).toBe(true);
    const file = await db.fineTuneFile.findUniqueOrThrow({ where: { id: trainingFileId } });
    const estimate = await db.fineTuneJob.findUniqueOrThrow({ where: { id: created.data!.id } });
    expect(estimate.estimatedCost!.toFixed(10)).toBe(exactCost(file.tokenCount * 2, TRAINING_PRICE));
    const job = await pollUntilFinished(created.data!.id);
    expect(job.status).toBe("SUCCEEDED");
    // The fake's documented rule: trained_tokens = ceil(bytes / 4) × epochs.
    const trained = Math.ceil(trainingBytes / 4) * 2;
    expect(job.trainedTokens).toBe(trained);
    expect(job.fineTunedModel).toMatch(/^ft:fake-small:support:/);
    const model = await db.model.findUniqueOrThrow({
      where: { providerId_modelId: { providerId, modelId: job.fineTunedModel! } },
      include: { prices: true },
    });
    expect(model).toMatchObject({ type: "FINE_TUNED", baseModel: "fake-small", fineTuneJobId: job.id });
    expect(model.prices).toHaveLength(0);
    unpricedModel = model.modelId;

    const record = await db.usageRecord.findFirstOrThrow({
      where: { source: "FINE_TUNE", clientRecordId: `fine-tune:${job.id}` },
    });
    expect(record).toMatchObject({
      providerId,
      modelId: baseModelId,
      inputTokens: trained,
      priced: true,
      tag: `fine-tune:${job.id}`,
    });
    expect(record.cost!.toFixed(10)).toBe(exactCost(trained, TRAINING_PRICE));
    // Spend pages read the rollups, budgets the spend counters: both include it.
    const day = await db.usageRollupDaily.findMany({ where: { providerId, tag: `fine-tune:${job.id}` } });
    expect(day.map((row) => row.costSum.toFixed(10))).toEqual([exactCost(trained, TRAINING_PRICE)]);
    // The spend page's report, filtered to the job's tag, shows exactly that cost.
    const today = new Date().toISOString().slice(0, 10);
    const spend = await buildSpendReport(
      parseSpendParams({ from: today, to: today, provider: providerId, tag: `fine-tune:${job.id}` }),
    );
    expect(spend.total.cost).toBe(exactCost(trained, TRAINING_PRICE));
    // Polling again records nothing twice.
    await pollFineTuneJobs();
    expect(await db.usageRecord.count({ where: { source: "FINE_TUNE", clientRecordId: `fine-tune:${job.id}` } })).toBe(
      1,
    );
    expect(await db.auditEvent.count({ where: { action: "fine_tune.job_succeeded", targetId: job.id } })).toBe(1);

    // The provider's checkpoints of the finished job (the fake keeps two: the last step and two before).
    const checkpoints = await providerCheckpoints(await fineTuningProvider(providerId), job.providerJobId!);
    expect(checkpoints.map((checkpoint) => checkpoint.step)).toEqual([6, 4]);
    expect(checkpoints.every((checkpoint) => checkpoint.model.startsWith(`${job.fineTunedModel}:ckpt-step-`))).toBe(
      true,
    );
    const card = renderToStaticMarkup(await CheckpointsCard({ providerId, providerJobId: job.providerJobId! }));
    expect(card).toContain(`${job.fineTunedModel}:ckpt-step-6`);
    // A provider that cannot answer: the card says so instead of failing the page.
    const missing = renderToStaticMarkup(await CheckpointsCard({ providerId, providerJobId: "ftjob-unknown" }));
    expect(missing).toContain("Checkpoints could not be read");
  });

  it("with a fine-tuned price on the base model, the new model is priced from it", async () => {
    // The admin enters the fine-tuning prices with a new price row (the provider page's price form).
    const priced = await executeAction(addPriceSpec, admin, {
      providerId,
      id: baseModelId,
      inputPrice: "2.5",
      outputPrice: "10",
      effectiveFrom: new Date().toISOString().slice(0, 10),
      trainingPrice: TRAINING_PRICE,
      fineTunedInputPrice: FT_INPUT,
      fineTunedOutputPrice: FT_OUTPUT,
    });
    expect(priced.ok, priced.message).toBe(true);
    const created = await executeAction(createJobSpec, admin, {
      providerId,
      baseModelId,
      trainingFileId,
      suffix: "priced",
    });
    expect(created.ok, created.message).toBe(true);
    const job = await pollUntilFinished(created.data!.id);
    expect(job.status).toBe("SUCCEEDED");
    const model = await db.model.findUniqueOrThrow({
      where: { providerId_modelId: { providerId, modelId: job.fineTunedModel! } },
      include: { prices: true },
    });
    expect(model.prices.map((price) => [price.inputPerMTok.toString(), price.outputPerMTok.toString()])).toEqual([
      [FT_INPUT, FT_OUTPUT],
    ]);
    pricedModel = model.modelId;
    // Epochs left to the provider: the fake trains 3.
    const record = await db.usageRecord.findFirstOrThrow({
      where: { source: "FINE_TUNE", clientRecordId: `fine-tune:${job.id}` },
    });
    expect(record.inputTokens).toBe(Math.ceil(trainingBytes / 4) * 3);
    expect(record.cost!.toFixed(10)).toBe(exactCost(Math.ceil(trainingBytes / 4) * 3, TRAINING_PRICE));
  });

  it("the fine-tuned models answer through the gateway like any model", { timeout: 90_000 }, async () => {
    gateway = await startGatewayProcess();
    const slug = await providerSlug(providerId);
    const key = await seedGatewayKey();
    const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: key.key });
    for (const model of [unpricedModel, pricedModel]) {
      const answer = await client.chat.completions.create({
        model: `${slug}/${model}`,
        messages: [{ role: "user", content: "Hello there" }],
      });
      expect(answer.choices[0]?.message.content).toBeTruthy();
    }
    const rows = await gatewayUsageOf(key.id, 2);
    // One usage batch may hold both records in either order: pair each with its model.
    const models = await db.model.findMany({
      where: { providerId, modelId: { in: [unpricedModel, pricedModel] } },
      select: { id: true, modelId: true },
    });
    const byModel = new Map(rows.map((row) => [models.find((m) => m.id === row.modelId)?.modelId, row]));
    expect(rows).toHaveLength(2);
    expect(byModel.get(unpricedModel)).toMatchObject({ priced: false, cost: null });
    expect(byModel.get(pricedModel)).toMatchObject({ priced: true });
    expect(byModel.get(pricedModel)!.cost).not.toBeNull();
  });
});
