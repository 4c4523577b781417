import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gatewayError, invalidRequest, readUsage, unsupported } from "@/lib/gateway/formats";
import type { GatewayModel } from "@/lib/gateway/catalog-cache";
import { runAttempts, type AttemptFailure, type AttemptRecord } from "@/lib/gateway/attempts";
import { sendError, sendJson, jsonObjectBody, watchCaller } from "@/lib/gateway/http-io";
import {
  admitRequest,
  finish,
  isRefusal,
  recordRefusal,
  refusalOutcome,
  resolveFor,
  type Authenticated,
  type Outcome,
} from "@/lib/gateway/pipeline";
import { failedCall } from "@/lib/gateway/chat";
import { holdEndUntilReleased } from "@/lib/gateway/admission";
import { estimateEmbeddingTokens } from "@/lib/gateway/token-estimate";
import { upstreamRequest } from "@/lib/gateway/upstream";
import { classOf, fromCallError, fromUpstreamStatus, upstreamRetryAfter } from "@/lib/gateway/upstream-errors";
import { apiRoot, authHeaders, kindProfile } from "@/lib/provider-clients/wire-formats";

// POST /v1/embeddings: passed through to OpenAI-format providers; translated to Gemini's
// batchEmbedContents; refused for Anthropic, which offers no embeddings. A route's targets are
// tried like chat's; a failure before the answer is reported to runAttempts, which answers it.

const REQUEST_TIMEOUT_MS = 120_000;

function float32Base64(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString("base64");
}

type EmbeddingRequest = { model: string; input: unknown; dimensions?: unknown; encoding_format?: unknown };

function inputs(input: unknown): string[] | null {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === "string"))
    return input as string[];
  return null;
}

export async function handleEmbeddings(
  _req: IncomingMessage,
  res: ServerResponse,
  body: string,
  auth: Authenticated,
): Promise<void> {
  const parsedBody = jsonObjectBody(body);
  if (!parsedBody.ok) return sendError(res, parsedBody.error, "openai");
  const raw = parsedBody.value as EmbeddingRequest;
  const resolved = await resolveFor(auth.key, raw.model, (model) =>
    model.provider.kind.wireFormat === "anthropic" ? unsupported("anthropic", "embeddings", "model") : null,
  );
  if (isRefusal(resolved)) {
    recordRefusal(auth, resolved);
    return sendError(res, resolved.error, "openai", resolved.headers);
  }
  const { model } = resolved;
  const valid =
    typeof raw.input === "string" || (Array.isArray(raw.input) && raw.input.length > 0 && raw.input.length <= 2048);
  if (!valid) {
    finish(auth, model, null, refusalOutcome(400, "invalid_request"));
    return sendError(
      res,
      invalidRequest("`input` must be a string or a non-empty array (at most 2048 items).", "input"),
      "openai",
    );
  }
  let tokens: number | undefined;
  const count = () => (tokens ??= estimateEmbeddingTokens(raw.input));
  const admitted = await admitRequest(auth, resolved, count, 0);
  if (isRefusal(admitted)) {
    recordRefusal(auth, admitted);
    return sendError(res, admitted.error, "openai", admitted.headers);
  }
  holdEndUntilReleased(res, admitted.lease);
  const caller = watchCaller(res, REQUEST_TIMEOUT_MS);
  let outcome: Outcome = refusalOutcome(502, "upstream_server");
  let answered = model;
  let attempts: AttemptRecord[] = [];
  try {
    // A route's targets in turn, like chat: retries, fallback and cooldowns (attempts.ts). Target
    // params (temperature, top_p, max_tokens) are chat settings and do not apply here.
    const result = await runAttempts({
      res,
      shape: "openai",
      route: resolved.route,
      targets: resolved.targets,
      deadlineAt: Date.now() + (resolved.route?.deadlineMs ?? REQUEST_TIMEOUT_MS),
      signal: caller.signal,
      signalDeadlineAt: caller.deadlineAt,
      callerGone: caller.gone,
      attempt: (target, apiKey, key, report, signal) =>
        call(res, auth, target.model, raw, apiKey, key.keyId, count, signal, report),
    });
    outcome = result.outcome;
    answered = result.model;
    attempts = result.attempts;
  } catch (error) {
    outcome = failedCall(res, error, model, "openai");
  } finally {
    caller.done();
    finish(auth, answered, admitted.lease, outcome, { routeId: resolved.route?.id ?? null, attempts });
  }
}

async function call(
  res: ServerResponse,
  auth: Authenticated,
  model: GatewayModel,
  raw: EmbeddingRequest,
  apiKey: string,
  keyId: string | null,
  count: () => number,
  signal: AbortSignal,
  report: (failure: AttemptFailure) => void,
): Promise<Outcome> {
  const wire = model.provider.kind.wireFormat;
  const profile = kindProfile(model.provider.kind.id) ?? { wire, auth: model.provider.kind.authScheme };
  const headers = { "content-type": "application/json", ...authHeaders(profile, apiKey) };
  const root = apiRoot(wire, model.provider.baseUrl);
  const base = { keyId, ttftMs: null, cachedInputTokens: 0, outputTokens: 0 };
  let url: string;
  let payload: string;
  if (wire === "gemini") {
    const texts = inputs(raw.input);
    if (!texts) {
      report({ error: unsupported("gemini", "token arrays as embedding input", "input") });
      return {
        ...base,
        inputTokens: 0,
        estimated: false,
        status: "ERROR",
        errorClass: "invalid_request",
        httpStatus: 400,
      };
    }
    url = `${root}/models/${encodeURIComponent(model.modelId)}:batchEmbedContents`;
    payload = JSON.stringify({
      requests: texts.map((text) => ({
        model: `models/${model.modelId}`,
        content: { parts: [{ text }] },
        ...(typeof raw.dimensions === "number" ? { outputDimensionality: raw.dimensions } : {}),
      })),
    });
  } else {
    url = `${root}${wire === "azure" || wire === "ollama" ? "/v1/embeddings" : "/embeddings"}`;
    payload = JSON.stringify({ ...raw, model: model.modelId });
  }
  let response;
  try {
    response = await upstreamRequest({ url, headers, body: payload, signal });
  } catch (error) {
    const failure = fromCallError(error, model.provider.slug);
    report({ error: failure.error });
    return {
      ...base,
      inputTokens: 0,
      estimated: false,
      status: "ERROR",
      errorClass: failure.errorClass,
      httpStatus: failure.error.status,
    };
  }
  const text = await response.body.text().catch(() => "");
  if (response.statusCode < 200 || response.statusCode >= 300) {
    const error = fromUpstreamStatus(wire, model.provider.slug, response.statusCode, text, apiKey);
    report({ error, headers: upstreamRetryAfter(error.status, response.headers), upstreamText: text.slice(0, 2000) });
    return {
      ...base,
      inputTokens: 0,
      estimated: false,
      status: "ERROR",
      errorClass: classOf(error),
      httpStatus: error.status,
    };
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    report({
      error: gatewayError(
        502,
        "upstream_error",
        `${model.provider.slug}: malformed response (not JSON)`,
        "upstream_error",
      ),
    });
    return {
      ...base,
      inputTokens: 0,
      estimated: false,
      status: "ERROR",
      errorClass: "upstream_server",
      httpStatus: 502,
    };
  }
  if (wire === "gemini") {
    const embeddings = Array.isArray(json.embeddings) ? (json.embeddings as { values?: number[] }[]) : [];
    // Gemini only answers floats; a caller that asks for base64 (the OpenAI SDK does on the wire by
    // default) gets base64 back, as OpenAI sends it: little-endian float32.
    const base64 = raw.encoding_format === "base64";
    const inputTokens = count();
    sendJson(
      res,
      200,
      {
        object: "list",
        data: embeddings.map((embedding, index) => ({
          object: "embedding",
          index,
          embedding: base64 ? float32Base64(embedding.values ?? []) : (embedding.values ?? []),
        })),
        model: raw.model,
        usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
      },
      { "x-request-id": auth.requestId },
    );
    return { ...base, inputTokens, estimated: true, status: "OK", errorClass: null, httpStatus: 200 };
  }
  const usage = readUsage(json.usage);
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": auth.requestId,
  });
  res.end(text);
  if (usage && usage.prompt_tokens > 0)
    return {
      ...base,
      inputTokens: usage.prompt_tokens,
      estimated: false,
      status: "OK",
      errorClass: null,
      httpStatus: 200,
    };
  return { ...base, inputTokens: count(), estimated: true, status: "OK", errorClass: null, httpStatus: 200 };
}
