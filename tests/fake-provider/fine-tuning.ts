import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http-utils";

// OpenAI's fine-tuning API, simulated (README.md, "Fine-tuning"): files uploaded as multipart
// (streamed: only the byte count and a SHA-256 are kept, never the content), jobs that move from
// validating_files through queued and running (one metrics event with train_loss per step) to
// succeeded, computed from the time elapsed since creation so no timer is needed. A suffix or
// model containing "fail" fails at step 3; cancel stops a job that is not finished.

export type FakeFile = {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  sha256: string;
  createdAt: number;
};
export type FakeJob = {
  id: string;
  model: string;
  suffix: string;
  trainingFile: string;
  validationFile: string | null;
  epochs: number;
  batchSize: number | "auto";
  learningRateMultiplier: number | "auto";
  createdAtMs: number;
  cancelledAtMs: number | null;
  fails: boolean;
  fineTunedModel: string;
};
export type FakeFineTuning = {
  files: Map<string, FakeFile>;
  jobs: Map<string, FakeJob>;
  /** Milliseconds per simulated phase and training step. */
  stepMs: number;
};

export const FINE_TUNE_TOTAL_STEPS = 6;
export const FINE_TUNE_FAIL_STEP = 3;
const DEFAULT_EPOCHS = 3;

export function createFineTuningState(stepMs: number): FakeFineTuning {
  return { files: new Map(), jobs: new Map(), stepMs };
}

export type FineTuneRoute =
  | { name: "openai.files"; op: "upload" }
  | { name: "openai.fine_tuning.create"; op: "create" }
  | { name: "openai.fine_tuning.list"; op: "list" }
  | { name: "openai.fine_tuning.get"; op: "get"; id: string }
  | { name: "openai.fine_tuning.events"; op: "events"; id: string }
  | { name: "openai.fine_tuning.checkpoints"; op: "checkpoints"; id: string }
  | { name: "openai.fine_tuning.cancel"; op: "cancel"; id: string };

export function matchFineTuningRoute(method: string, path: string): FineTuneRoute | undefined {
  const clean = path.replace(/\/+$/, "");
  if (method === "POST" && clean.endsWith("/files")) return { name: "openai.files", op: "upload" };
  if (clean.endsWith("/fine_tuning/jobs")) {
    if (method === "POST") return { name: "openai.fine_tuning.create", op: "create" };
    if (method === "GET") return { name: "openai.fine_tuning.list", op: "list" };
  }
  const match = /\/fine_tuning\/jobs\/([^/]+)(?:\/(events|checkpoints|cancel))?$/.exec(clean);
  if (!match) return undefined;
  const id = decodeURIComponent(match[1]!);
  if (method === "GET" && !match[2]) return { name: "openai.fine_tuning.get", op: "get", id };
  if (method === "GET" && match[2] === "events") return { name: "openai.fine_tuning.events", op: "events", id };
  if (method === "GET" && match[2] === "checkpoints")
    return { name: "openai.fine_tuning.checkpoints", op: "checkpoints", id };
  if (method === "POST" && match[2] === "cancel") return { name: "openai.fine_tuning.cancel", op: "cancel", id };
  return undefined;
}

const invalid = (res: ServerResponse, status: number, message: string, param: string | null = null) =>
  sendJson(res, status, { error: { message, type: "invalid_request_error", param, code: null } });

// ---- multipart, streamed ----------------------------------------------------------------------

type Multipart = { fields: Record<string, string>; file?: { filename: string; bytes: number; sha256: string } };

/** Parses multipart/form-data as it arrives; a file part is hashed and counted, never kept. */
export async function readMultipart(req: AsyncIterable<Buffer>, boundary: string): Promise<Multipart | null> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF makes the first delimiter look like every other.
  let buffer: Buffer = Buffer.from("\r\n");
  let state: "preamble" | "after-delimiter" | "headers" | "body" | "done" = "preamble";
  const fields: Record<string, string> = {};
  let file: Multipart["file"];
  let part: {
    name: string;
    filename?: string;
    hash?: ReturnType<typeof createHash>;
    bytes: number;
    text: string[];
  } | null = null;
  const emit = (data: Buffer) => {
    if (!part || data.length === 0) return;
    part.bytes += data.length;
    if (part.hash) part.hash.update(data);
    else if (part.bytes <= 1024 * 1024) part.text.push(data.toString("utf8"));
  };
  const endPart = () => {
    if (!part) return;
    if (part.hash) file = { filename: part.filename ?? "", bytes: part.bytes, sha256: part.hash.digest("hex") };
    else fields[part.name] = part.text.join("");
    part = null;
  };
  const step = (): boolean => {
    switch (state) {
      case "preamble": {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
          return false;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = "after-delimiter";
        return true;
      }
      case "after-delimiter": {
        if (buffer.length < 2) return false;
        const tail = buffer.subarray(0, 2).toString("latin1");
        buffer = buffer.subarray(2);
        state = tail === "--" ? "done" : "headers";
        return true;
      }
      case "headers": {
        const at = buffer.indexOf("\r\n\r\n");
        if (at < 0) return false;
        const headers = buffer.subarray(0, at).toString("utf8");
        buffer = buffer.subarray(at + 4);
        const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
        const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? "";
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
        part = { name, filename, hash: filename !== undefined ? createHash("sha256") : undefined, bytes: 0, text: [] };
        state = "body";
        return true;
      }
      case "body": {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          const keep = Math.min(buffer.length, delimiter.length);
          emit(buffer.subarray(0, buffer.length - keep));
          buffer = buffer.subarray(buffer.length - keep);
          return false;
        }
        emit(buffer.subarray(0, at));
        buffer = buffer.subarray(at + delimiter.length);
        endPart();
        state = "after-delimiter";
        return true;
      }
      case "done":
        return false;
    }
  };
  for await (const chunk of req) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    while (step());
  }
  while (step());
  return (state as string) === "done" ? { fields, file } : null;
}

async function uploadFile(state: FakeFineTuning, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const type = req.headers["content-type"] ?? "";
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!type.toLowerCase().startsWith("multipart/form-data") || !boundary)
    return invalid(res, 400, "Send the file as multipart/form-data.");
  let parsed: Multipart | null;
  try {
    parsed = await readMultipart(req, (boundary[1] ?? boundary[2] ?? "").trim());
  } catch {
    return; // the client went away mid-upload: no file
  }
  if (!parsed) return invalid(res, 400, "The multipart body ended early.");
  if (!parsed.file) return invalid(res, 400, "Missing file.", "file");
  if (parsed.fields.purpose !== "fine-tune") return invalid(res, 400, "purpose must be fine-tune.", "purpose");
  const id = `file-${randomBytes(12).toString("hex")}`;
  const file: FakeFile = { id, purpose: "fine-tune", createdAt: Math.floor(Date.now() / 1000), ...parsed.file };
  state.files.set(id, file);
  sendJson(res, 200, {
    object: "file",
    id,
    bytes: file.bytes,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: "fine-tune",
    status: "processed",
  });
}

// ---- jobs -------------------------------------------------------------------------------------

type Phase = {
  status: string;
  step: number;
  finishedAtMs: number | null;
  error: { code: string; message: string } | null;
};

function phaseOf(state: FakeFineTuning, job: FakeJob, now: number): Phase {
  const ms = state.stepMs;
  const elapsedAt = (at: number) => Math.floor((at - job.createdAtMs) / ms);
  const failAt = job.createdAtMs + (2 + FINE_TUNE_FAIL_STEP) * ms;
  const doneAt = job.createdAtMs + (2 + FINE_TUNE_TOTAL_STEPS) * ms;
  const endAt = job.fails ? failAt : doneAt;
  if (job.cancelledAtMs !== null && job.cancelledAtMs < endAt && now >= job.cancelledAtMs) {
    return {
      status: "cancelled",
      step: Math.max(0, Math.min(FINE_TUNE_TOTAL_STEPS, elapsedAt(job.cancelledAtMs) - 2)),
      finishedAtMs: job.cancelledAtMs,
      error: null,
    };
  }
  const elapsed = elapsedAt(now);
  if (now >= endAt)
    return job.fails
      ? {
          status: "failed",
          step: FINE_TUNE_FAIL_STEP,
          finishedAtMs: failAt,
          error: { code: "training_failed", message: `Simulated failure at step ${FINE_TUNE_FAIL_STEP}.` },
        }
      : { status: "succeeded", step: FINE_TUNE_TOTAL_STEPS, finishedAtMs: doneAt, error: null };
  if (elapsed < 1) return { status: "validating_files", step: 0, finishedAtMs: null, error: null };
  if (elapsed < 2) return { status: "queued", step: 0, finishedAtMs: null, error: null };
  return { status: "running", step: Math.min(elapsed - 2, FINE_TUNE_TOTAL_STEPS), finishedAtMs: null, error: null };
}

/** Training loss at a step: 2.0 × 0.8^step, rounded to 4 places (validation: +0.1). */
export function fakeTrainLoss(step: number): number {
  return Math.round(2 * 0.8 ** step * 10_000) / 10_000;
}

/** trained_tokens on success: ceil(training file bytes / 4) × epochs. */
export function fakeTrainedTokens(bytes: number, epochs: number): number {
  return Math.ceil(bytes / 4) * epochs;
}

function jobObject(state: FakeFineTuning, job: FakeJob, now = Date.now()) {
  const phase = phaseOf(state, job, now);
  const training = state.files.get(job.trainingFile);
  const succeeded = phase.status === "succeeded";
  return {
    object: "fine_tuning.job",
    id: job.id,
    model: job.model,
    created_at: Math.floor(job.createdAtMs / 1000),
    finished_at: phase.finishedAtMs === null ? null : Math.floor(phase.finishedAtMs / 1000),
    fine_tuned_model: succeeded ? job.fineTunedModel : null,
    organization_id: "org-fake",
    result_files: succeeded ? [`file-result-${job.id}`] : [],
    status: phase.status,
    validation_file: job.validationFile,
    training_file: job.trainingFile,
    hyperparameters: {
      n_epochs: job.epochs,
      batch_size: job.batchSize,
      learning_rate_multiplier: job.learningRateMultiplier,
    },
    trained_tokens: succeeded ? fakeTrainedTokens(training?.bytes ?? 0, job.epochs) : null,
    error: phase.error,
    suffix: job.suffix || null,
    seed: 42,
    estimated_finish: null,
  };
}

type FakeEvent = { id: string; seq: number; atMs: number; level: string; message: string; type: string; data: object };

function eventsOf(state: FakeFineTuning, job: FakeJob, now = Date.now()): FakeEvent[] {
  const phase = phaseOf(state, job, now);
  const ms = state.stepMs;
  const events: FakeEvent[] = [];
  const add = (atMs: number, message: string, data: object = {}, type = "message", level = "info") =>
    events.push({
      id: `ftevent-${job.id.slice(6)}-${events.length + 1}`,
      seq: events.length + 1,
      atMs,
      level,
      message,
      type,
      data,
    });
  add(job.createdAtMs, `Created fine-tuning job: ${job.id}`);
  if (now >= job.createdAtMs + ms || phase.finishedAtMs !== null)
    add(job.createdAtMs + ms, "Files validated, moving job to queued state");
  const started = job.createdAtMs + 2 * ms;
  if (phase.status !== "validating_files" && phase.status !== "queued" && (phase.finishedAtMs ?? now) >= started)
    add(started, `Fine-tuning job started`);
  for (let step = 1; step <= phase.step; step += 1) {
    const train = fakeTrainLoss(step);
    const valid = job.validationFile ? Math.round((train + 0.1) * 10_000) / 10_000 : undefined;
    add(
      started + step * ms - 1,
      `Step ${step}/${FINE_TUNE_TOTAL_STEPS}: training loss=${train}`,
      {
        step,
        train_loss: train,
        total_steps: FINE_TUNE_TOTAL_STEPS,
        ...(valid !== undefined ? { valid_loss: valid } : {}),
      },
      "metrics",
    );
  }
  if (phase.status === "succeeded") {
    add(phase.finishedAtMs!, `New fine-tuned model created: ${job.fineTunedModel}`);
    add(phase.finishedAtMs!, "The job has successfully completed");
  } else if (phase.status === "failed")
    add(phase.finishedAtMs!, `Fine-tuning failed: ${phase.error!.message}`, {}, "message", "error");
  else if (phase.status === "cancelled") add(phase.finishedAtMs!, "Fine-tuning job cancelled");
  return events;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function handleFineTuning(
  state: FakeFineTuning,
  route: FineTuneRoute,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (route.op === "upload") return uploadFile(state, req, res);
  if (route.op === "create") {
    const body = await readJson(req);
    const model = typeof body.model === "string" ? body.model : "";
    const trainingFile = typeof body.training_file === "string" ? body.training_file : "";
    if (!model) return invalid(res, 400, "model is required.", "model");
    if (!state.files.has(trainingFile))
      return invalid(res, 400, `invalid training_file: ${trainingFile}`, "training_file");
    const validationFile = typeof body.validation_file === "string" ? body.validation_file : null;
    if (validationFile && !state.files.has(validationFile))
      return invalid(res, 400, `invalid validation_file: ${validationFile}`, "validation_file");
    const suffix = typeof body.suffix === "string" ? body.suffix : "";
    if (suffix.length > 64) return invalid(res, 400, "suffix must be at most 64 characters.", "suffix");
    const hyper = (
      body.hyperparameters && typeof body.hyperparameters === "object" ? body.hyperparameters : {}
    ) as Record<string, unknown>;
    const epochs = typeof hyper.n_epochs === "number" ? hyper.n_epochs : DEFAULT_EPOCHS;
    const id = `ftjob-${randomBytes(10).toString("hex")}`;
    const job: FakeJob = {
      id,
      model,
      suffix,
      trainingFile,
      validationFile,
      epochs,
      batchSize: typeof hyper.batch_size === "number" ? hyper.batch_size : "auto",
      learningRateMultiplier:
        typeof hyper.learning_rate_multiplier === "number" ? hyper.learning_rate_multiplier : "auto",
      createdAtMs: Date.now(),
      cancelledAtMs: null,
      fails: /fail/i.test(suffix) || /fail/i.test(model),
      fineTunedModel: `ft:${model}:${suffix || "custom"}:${id.slice(6, 14)}`,
    };
    state.jobs.set(id, job);
    return sendJson(res, 200, jobObject(state, job));
  }
  if (route.op === "list") {
    const data = [...state.jobs.values()].reverse().map((job) => jobObject(state, job));
    return sendJson(res, 200, { object: "list", data, has_more: false });
  }
  const job = state.jobs.get(route.id);
  if (!job)
    return sendJson(res, 404, {
      error: { message: `No fine-tuning job ${route.id}`, type: "invalid_request_error", code: "not_found" },
    });
  if (route.op === "get") return sendJson(res, 200, jobObject(state, job));
  if (route.op === "cancel") {
    const phase = phaseOf(state, job, Date.now());
    if (["succeeded", "failed", "cancelled"].includes(phase.status))
      return invalid(
        res,
        400,
        `Job ${job.id} has already ${phase.status === "cancelled" ? "been cancelled" : "completed"}.`,
      );
    job.cancelledAtMs = Date.now();
    return sendJson(res, 200, jobObject(state, job));
  }
  if (route.op === "checkpoints") {
    const phase = phaseOf(state, job, Date.now());
    const data = Array.from({ length: phase.status === "succeeded" ? 2 : 0 }, (_, i) => {
      const step = FINE_TUNE_TOTAL_STEPS - i * 2;
      return {
        object: "fine_tuning.job.checkpoint",
        id: `ftckpt-${job.id.slice(6)}-${step}`,
        created_at: Math.floor(Date.now() / 1000),
        fine_tuned_model_checkpoint: `${job.fineTunedModel}:ckpt-step-${step}`,
        step_number: step,
        metrics: { step, train_loss: fakeTrainLoss(step) },
        fine_tuning_job_id: job.id,
      };
    });
    return sendJson(res, 200, {
      object: "list",
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  }
  // Events, newest first; `after` pages towards older events, as OpenAI does.
  const all = eventsOf(state, job).reverse();
  const limit = Math.max(1, Math.min(100, Number(url.searchParams.get("limit") ?? 20) || 20));
  const after = url.searchParams.get("after");
  const start = after ? all.findIndex((event) => event.id === after) + 1 : 0;
  const page = all.slice(start, start + limit);
  return sendJson(res, 200, {
    object: "list",
    data: page.map((event) => ({
      object: "fine_tuning.job.event",
      id: event.id,
      created_at: Math.floor(event.atMs / 1000),
      level: event.level,
      message: event.message,
      type: event.type,
      data: event.data,
    })),
    has_more: start + limit < all.length,
  });
}
