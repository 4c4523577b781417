import "server-only";
import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import { db } from "@/lib/db/client";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { withDecryptedKey } from "@/lib/keys/with-decrypted-key";
import { redactedExcerpt } from "@/lib/log/redact";
import { createProviderFetch, originOf } from "@/lib/provider-clients/provider-fetch";
import { PROVIDER_KIND_SPECS, type ProviderKindId } from "@/lib/providers/catalog";

// OpenAI's fine-tuning API (files with purpose "fine-tune", fine_tuning/jobs, events, cancel), the
// shape the registry's `fineTuning: "openai"` kinds speak. Every request goes through the provider
// transport (egress policy, no redirects, the base URL's origin only) with the key opened by
// withDecryptedKey for that one request; the provider's words come back redacted.

export type FineTuningProvider = { id: string; name: string; slug: string; kind: ProviderKindId; baseUrl: string };

const TIMEOUT_MS = 30_000;

export function kindSupportsFineTuning(kind: string): boolean {
  return (PROVIDER_KIND_SPECS as Record<string, { fineTuning: string | null }>)[kind]?.fineTuning === "openai";
}

/** The provider, when it exists, is in service and its kind's fine-tuning API is supported. */
export async function fineTuningProvider(providerId: string): Promise<FineTuningProvider> {
  const provider = await db.provider.findUnique({
    where: { id: providerId },
    select: { id: true, name: true, slug: true, kind: true, baseUrl: true, enabled: true, archivedAt: true },
  });
  if (!provider || provider.archivedAt) throw notFound("Provider");
  if (!kindSupportsFineTuning(provider.kind)) {
    const label = (PROVIDER_KIND_SPECS as Record<string, { label: string }>)[provider.kind]?.label ?? provider.kind;
    throw new DomainError("INVALID", `Fine-tuning is not supported for ${label} providers in the console.`, {
      providerId: [`${label} providers do not support fine-tuning here.`],
    });
  }
  if (!provider.enabled) throw new DomainError("INVALID", "This provider is disabled.");
  return { ...provider, kind: provider.kind as ProviderKindId };
}

function authHeaders(apiKey: string): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

async function failure(response: Response, apiKey: string): Promise<DomainError> {
  const text = await response.text().catch(() => "");
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") message = parsed.error.message;
  } catch {
    // not JSON: the excerpt of the text
  }
  const excerpt = redactedExcerpt(message, [apiKey], 300);
  return new DomainError(
    "UNAVAILABLE",
    `The provider answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : "."}`,
  );
}

/** One JSON request to the provider's fine-tuning API. */
export async function fineTuningJson<T>(
  provider: FineTuningProvider,
  path: string,
  init: { method?: "GET" | "POST"; body?: unknown } = {},
): Promise<T> {
  const url = `${provider.baseUrl.replace(/\/+$/, "")}${path}`;
  const origin = originOf(url);
  if (!origin) throw new DomainError("INVALID", "The provider's base URL is not a valid URL.");
  return withDecryptedKey({ providerId: provider.id }, async (apiKey) => {
    const response = await createProviderFetch({ allowedOrigin: origin, expectContentTypes: ["application/json"] })(
      url,
      {
        method: init.method ?? "GET",
        headers: {
          accept: "application/json",
          ...authHeaders(apiKey),
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
    if (!response.ok) throw await failure(response, apiKey);
    return (await response.json()) as T;
  });
}

export type ProviderFile = { id: string; bytes?: number; filename?: string };

/**
 * A streamed upload to POST /files (multipart, purpose "fine-tune"): `write` each chunk as it is
 * read (it waits while the provider is slower), then `finish` (sends the closing boundary and
 * returns the provider's file object) or `abort` (the request ends unfinished: the provider never
 * completes the file). The file never exists whole in memory.
 */
export type FileUploadSink = {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<ProviderFile>;
  abort(reason: string): Promise<void>;
};

export async function openFileUpload(
  provider: FineTuningProvider,
  fileName: string,
  /** The file's size when the browser declared it: the request then carries its exact length (else it is chunked). */
  fileBytes?: number,
): Promise<FileUploadSink> {
  const url = `${provider.baseUrl.replace(/\/+$/, "")}/files`;
  const origin = originOf(url);
  if (!origin) throw new DomainError("INVALID", "The provider's base URL is not a valid URL.");
  const boundary = `----console-${crypto.randomUUID()}`;
  const safeName = fileName.replace(/["\r\n\\]/g, "_");
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\n` +
    `Content-Type: application/jsonl\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length: Record<string, string> =
    fileBytes !== undefined
      ? { "content-length": String(Buffer.byteLength(head) + fileBytes + Buffer.byteLength(tail)) }
      : {};
  const pass = new PassThrough({ highWaterMark: 256 * 1024 });
  // An abort destroys it with a reason; the request it feeds reports that (here it is expected).
  pass.on("error", () => undefined);
  pass.write(head);

  // The key is opened for this one request and released when it ends (answered or aborted).
  let settled = false;
  const controller = new AbortController();
  const response = withDecryptedKey({ providerId: provider.id }, async (apiKey) => {
    try {
      const answer = await createProviderFetch({ allowedOrigin: origin, expectContentTypes: ["application/json"] })(
        url,
        {
          method: "POST",
          headers: {
            accept: "application/json",
            ...authHeaders(apiKey),
            "content-type": `multipart/form-data; boundary=${boundary}`,
            ...length,
          },
          body: Readable.toWeb(pass) as unknown as ReadableStream<Uint8Array>,
          signal: controller.signal,
        },
      );
      if (!answer.ok) throw await failure(answer, apiKey);
      return (await answer.json()) as ProviderFile;
    } finally {
      settled = true;
    }
  });
  // Until finish() awaits it, a failure must not be an unhandled rejection.
  response.catch(() => undefined);
  const stopped = response.then(
    () => undefined,
    () => undefined,
  );

  return {
    async write(chunk) {
      if (settled)
        throw await response.then(() => new DomainError("UNAVAILABLE", "The provider ended the upload early."));
      if (!pass.write(chunk)) await Promise.race([once(pass, "drain"), stopped]);
    },
    async finish() {
      pass.end(tail);
      const file = await response;
      if (!file || typeof file.id !== "string")
        throw new DomainError("UNAVAILABLE", "The provider's answer named no file.");
      return file;
    },
    async abort(reason) {
      // The request ends unfinished (no closing boundary): the provider completes no file.
      controller.abort(new Error(reason));
      pass.destroy(new Error(reason));
      await stopped;
    },
  };
}

// ---- OpenAI's job shapes (the fields the console reads) ----

export type OpenAiJob = {
  id: string;
  status: string;
  model: string;
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  finished_at: number | null;
  error: { code?: string; message?: string } | null;
};

export type OpenAiEvent = {
  id: string;
  created_at: number;
  level?: string;
  message?: string;
  type?: string;
  data?: { step?: unknown; train_loss?: unknown; valid_loss?: unknown; full_valid_loss?: unknown } | null;
};

export async function createProviderJob(
  provider: FineTuningProvider,
  input: {
    model: string;
    trainingFile: string;
    validationFile: string | null;
    suffix: string;
    epochs: number | null;
    learningRateMultiplier: string | null;
    batchSize: number | null;
  },
): Promise<OpenAiJob> {
  const hyperparameters: Record<string, number> = {};
  if (input.epochs !== null) hyperparameters.n_epochs = input.epochs;
  if (input.batchSize !== null) hyperparameters.batch_size = input.batchSize;
  if (input.learningRateMultiplier !== null)
    hyperparameters.learning_rate_multiplier = Number(input.learningRateMultiplier);
  return fineTuningJson<OpenAiJob>(provider, "/fine_tuning/jobs", {
    method: "POST",
    body: {
      model: input.model,
      training_file: input.trainingFile,
      ...(input.validationFile ? { validation_file: input.validationFile } : {}),
      ...(input.suffix ? { suffix: input.suffix } : {}),
      ...(Object.keys(hyperparameters).length ? { hyperparameters } : {}),
    },
  });
}

export const getProviderJob = (provider: FineTuningProvider, jobId: string) =>
  fineTuningJson<OpenAiJob>(provider, `/fine_tuning/jobs/${encodeURIComponent(jobId)}`);

export const cancelProviderJob = (provider: FineTuningProvider, jobId: string) =>
  fineTuningJson<OpenAiJob>(provider, `/fine_tuning/jobs/${encodeURIComponent(jobId)}/cancel`, { method: "POST" });

/**
 * The job's events newer than `cursor` (the newest one stored), oldest first. OpenAI lists events
 * newest first and pages towards older ones with `after`; paging stops at the cursor.
 */
export async function newProviderEvents(
  provider: FineTuningProvider,
  jobId: string,
  cursor: string | null,
): Promise<OpenAiEvent[]> {
  const collected: OpenAiEvent[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const query = new URLSearchParams({ limit: "100" });
    if (after) query.set("after", after);
    const list = await fineTuningJson<{ data?: OpenAiEvent[]; has_more?: boolean }>(
      provider,
      `/fine_tuning/jobs/${encodeURIComponent(jobId)}/events?${query}`,
    );
    const data = Array.isArray(list.data) ? list.data : [];
    for (const event of data) {
      if (event.id === cursor) return collected.reverse();
      collected.push(event);
    }
    if (!list.has_more || data.length === 0) break;
    after = data.at(-1)!.id;
  }
  return collected.reverse();
}

export type Checkpoint = { id: string; model: string; step: number | null; trainLoss: number | null; createdAt: Date };

type OpenAiCheckpoint = {
  id?: unknown;
  fine_tuned_model_checkpoint?: unknown;
  step_number?: unknown;
  created_at?: unknown;
  metrics?: { train_loss?: unknown };
};

/** The job's checkpoints as the provider lists them now (read on demand, not stored), newest step first. */
export async function providerCheckpoints(provider: FineTuningProvider, jobId: string): Promise<Checkpoint[]> {
  const list = await fineTuningJson<{ data?: OpenAiCheckpoint[] }>(
    provider,
    `/fine_tuning/jobs/${encodeURIComponent(jobId)}/checkpoints?limit=100`,
  );
  const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
  return (Array.isArray(list.data) ? list.data : [])
    .filter((entry) => typeof entry.id === "string" && typeof entry.fine_tuned_model_checkpoint === "string")
    .map((entry) => ({
      id: entry.id as string,
      model: entry.fine_tuned_model_checkpoint as string,
      step: number(entry.step_number),
      trainLoss: number(entry.metrics?.train_loss),
      createdAt: new Date((number(entry.created_at) ?? 0) * 1000),
    }))
    .sort((a, b) => (b.step ?? 0) - (a.step ?? 0));
}
