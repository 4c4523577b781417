import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createAnthropicStreamTranslator,
  createGeminiStreamTranslator,
  formatSse,
  formatSseJson,
  fromAnthropicResponse,
  fromGeminiResponse,
  gatewayError,
  inspectPassthroughEvent,
  invalidRequest,
  parseChatRequest,
  readUsage,
  requestedMaxTokens,
  requestStreamUsage,
  SSE_DONE,
  SseParser,
  toAnthropicRequest,
  toGeminiRequest,
  type ChatRequest,
  type ChatUsage,
  type GatewayError,
  type SseEvent,
  type StreamTranslator,
} from "@/lib/gateway/formats";
import type { GatewayModel, GatewayRouteTarget } from "@/lib/gateway/catalog-cache";
import { DEFAULT_MAX_OUTPUT_TOKENS } from "@/lib/gateway/cost-estimate";
import { sendError, sendJson, watchCaller } from "@/lib/gateway/http-io";
import {
  admitRequest,
  finish,
  isRefusal,
  recordRefusal,
  refusalOutcome,
  resolveFor,
  type Authenticated,
  type Outcome,
  type Resolved,
} from "@/lib/gateway/pipeline";
import { countTextTokens, estimatePromptTokens } from "@/lib/gateway/token-estimate";
import { upstreamRequest } from "@/lib/gateway/upstream";
import { runAttempts, type AttemptFailure, type AttemptRecord } from "@/lib/gateway/attempts";
import {
  bypassRequested,
  cacheGet,
  cacheKey,
  cachePut,
  MAX_ENTRY_BYTES,
  type CachedAnswer,
} from "@/lib/gateway/response-cache";
import { holdEndUntilReleased } from "@/lib/gateway/admission";
import { classOf, fromCallError, fromUpstreamStatus, upstreamRetryAfter } from "@/lib/gateway/upstream-errors";
import { apiRoot, authHeaders, kindProfile } from "@/lib/provider-clients/wire-formats";
import { DomainError } from "@/lib/errors/domain-error";
import { UndecryptableError } from "@/lib/crypto/seal";
import { logger } from "@/lib/log/logger";
import { drained } from "@/lib/gateway/http-io";

// POST /v1/chat/completions. OpenAI-format providers (OpenAI, Azure, Mistral, Groq, Ollama's
// OpenAI endpoint, any compatible server) get the caller's own JSON with only the model name
// swapped, and their answer's bytes pass back untouched (streams event by event, reading usage
// on the way). Anthropic and Gemini are translated both ways by lib/gateway/formats.

const REQUEST_TIMEOUT_MS = Number(process.env.GATEWAY_REQUEST_TIMEOUT_MS ?? 600_000);
/** What a stream keeps to count tokens when the provider reports none (then it stops keeping). */
const KEEP_TEXT_CHARS = 2_000_000;

type Built = {
  url: string;
  body: string;
  headers: Record<string, string>;
  translate: "none" | "anthropic" | "gemini";
  anthropicContext?: Parameters<typeof createAnthropicStreamTranslator>[0];
  callerAskedForUsage: boolean;
};

function buildRequest(
  model: GatewayModel,
  raw: Record<string, unknown>,
  parsed: ChatRequest,
  stream: boolean,
  apiKey: string,
): Built | GatewayError {
  const wire = model.provider.kind.wireFormat;
  const profile = kindProfile(model.provider.kind.id) ?? { wire, auth: model.provider.kind.authScheme };
  const headers: Record<string, string> = { "content-type": "application/json", ...authHeaders(profile, apiKey) };
  const root = apiRoot(wire, model.provider.baseUrl);
  if (wire === "anthropic") {
    const translated = toAnthropicRequest(parsed, {
      upstreamModel: model.modelId,
      defaultMaxTokens: model.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    });
    if (!translated.ok) return translated.error;
    const request = stream ? { ...translated.value.request, stream: true } : translated.value.request;
    if (stream) headers.accept = "text/event-stream";
    return {
      url: `${root}/messages`,
      body: JSON.stringify(request),
      headers,
      translate: "anthropic",
      anthropicContext: translated.value.context,
      callerAskedForUsage: parsed.stream_options?.include_usage === true,
    };
  }
  if (wire === "gemini") {
    const translated = toGeminiRequest(parsed);
    if (!translated.ok) return translated.error;
    const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
    return {
      url: `${root}/models/${encodeURIComponent(model.modelId)}:${method}`,
      body: JSON.stringify(translated.value),
      headers,
      translate: "gemini",
      callerAskedForUsage: parsed.stream_options?.include_usage === true,
    };
  }
  const usage = requestStreamUsage({ ...raw, model: model.modelId });
  const path = wire === "azure" || wire === "ollama" ? "/v1/chat/completions" : "/chat/completions";
  if (stream) headers.accept = "text/event-stream";
  return {
    url: `${root}${path}`,
    body: JSON.stringify(usage.body),
    headers,
    translate: "none",
    callerAskedForUsage: usage.callerAskedForUsage,
  };
}

function usageCounts(usage: ChatUsage | null) {
  if (!usage) return null;
  return {
    inputTokens: usage.prompt_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: usage.completion_tokens,
  };
}

function answerText(body: unknown): string {
  if (!body || typeof body !== "object") return "";
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return "";
  let text = "";
  for (const choice of choices) {
    const message = (choice as { message?: { content?: unknown; tool_calls?: unknown } }).message;
    if (typeof message?.content === "string") text += message.content;
    if (message?.tool_calls) text += JSON.stringify(message.tool_calls);
  }
  return text;
}

function deltaText(data: string): string {
  try {
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown; tool_calls?: unknown } }[] };
    let text = "";
    for (const choice of chunk.choices ?? []) {
      if (typeof choice.delta?.content === "string") text += choice.delta.content;
      if (choice.delta?.tool_calls) text += JSON.stringify(choice.delta.tool_calls);
    }
    return text;
  } catch {
    return "";
  }
}

export async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  auth: Authenticated,
): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return sendError(res, invalidRequest("Request body is not valid JSON", null, "invalid_json"), "openai");
  }
  const resolved = await resolveFor(
    auth.key,
    raw && typeof raw === "object" ? (raw as { model?: unknown }).model : undefined,
    (model) =>
      model.type === "EMBEDDING"
        ? invalidRequest(
            `"${model.gatewayName}" is an embedding model: call /v1/embeddings.`,
            "model",
            "wrong_endpoint",
          )
        : null,
  );
  if (isRefusal(resolved)) {
    recordRefusal(auth, resolved);
    return sendError(res, resolved.error, "openai", resolved.headers);
  }
  const parsed = parseChatRequest(raw);
  const { model } = resolved;
  if (!parsed.ok) {
    finish(auth, model, null, refusalOutcome(parsed.error.status, "invalid_request"));
    return sendError(res, parsed.error, "openai");
  }
  const request = parsed.value;
  const stream = request.stream === true;
  const route = resolved.route;
  const cacheId = route?.cacheEnabled && !bypassRequested(req.headers) ? cacheKey(route.id, auth.key.id, raw) : null;
  let captured: string | null = null;
  if (cacheId && route) {
    const hit = await cacheGet(cacheId).catch((error: unknown) => {
      logger.warn("gateway cache read failed (answering without it)", { error });
      return null;
    });
    if (hit && hit.streamed === stream) return answerFromCache(res, auth, resolved, hit, stream);
    res.setHeader("x-cache", "MISS");
  }
  let promptTokens: number | undefined;
  const prompt = () => (promptTokens ??= estimatePromptTokens(request.messages, request.tools));
  const admitted = await admitRequest(auth, resolved, prompt, requestedMaxTokens(request));
  if (isRefusal(admitted)) {
    recordRefusal(auth, admitted);
    return sendError(res, admitted.error, "openai", admitted.headers);
  }
  const lease = admitted.lease;

  const caller = watchCaller(res, REQUEST_TIMEOUT_MS);

  let outcome: Outcome = refusalOutcome(502, "upstream_server");
  let answered = model;
  let attempts: AttemptRecord[] = [];
  holdEndUntilReleased(res, lease);
  try {
    const result = await runAttempts({
      res,
      shape: "openai",
      route: resolved.route,
      targets: resolved.targets,
      deadlineAt: Date.now() + (resolved.route?.deadlineMs ?? REQUEST_TIMEOUT_MS),
      signal: caller.signal,
      signalDeadlineAt: caller.deadlineAt,
      callerGone: caller.gone,
      attempt: async (target, apiKey, key, report, signal) => {
        const built = buildRequest(
          target.model,
          withParams(raw as Record<string, unknown>, target.params),
          { ...request, ...target.params },
          stream,
          apiKey,
        );
        if ("status" in built) {
          report({ error: built });
          return { ...refusalOutcome(built.status, classOf(built)), keyId: key.keyId };
        }
        return callProvider(
          res,
          auth,
          target.model,
          built,
          request,
          stream,
          apiKey,
          key.keyId,
          signal,
          prompt,
          caller.gone,
          report,
          cacheId ? (body) => (captured = body) : null,
        );
      },
    });
    outcome = result.outcome;
    answered = result.model;
    attempts = result.attempts;
    if (cacheId && captured !== null && outcome.status === "OK" && resolved.route) {
      void cachePut(
        cacheId,
        resolved.route.id,
        {
          providerId: answered.provider.id,
          modelId: answered.id,
          streamed: stream,
          body: captured,
          inputTokens: outcome.inputTokens,
          cachedInputTokens: outcome.cachedInputTokens,
          outputTokens: outcome.outputTokens,
        },
        resolved.route.cacheTtlSeconds,
      ).catch((error: unknown) => logger.warn("gateway cache write failed", { error }));
    }
  } catch (error) {
    outcome = failedCall(res, error, model, "openai");
  } finally {
    caller.done();
    finish(auth, answered, lease, outcome, { routeId: resolved.route?.id ?? null, attempts });
  }
}

/** A cache hit: the stored answer, recorded as usage with cost 0 and what it would have cost saved. */
function answerFromCache(
  res: ServerResponse,
  auth: Authenticated,
  resolved: Resolved,
  hit: CachedAnswer,
  stream: boolean,
): void {
  const model = resolved.catalog.models.find((candidate) => candidate.id === hit.modelId) ?? resolved.model;
  res.writeHead(200, {
    "content-type": stream ? "text/event-stream; charset=utf-8" : "application/json",
    "content-length": Buffer.byteLength(hit.body),
    "x-request-id": auth.requestId,
    "x-cache": "HIT",
  });
  res.end(hit.body);
  finish(
    auth,
    model,
    null,
    {
      status: "OK",
      errorClass: null,
      httpStatus: 200,
      inputTokens: hit.inputTokens,
      cachedInputTokens: hit.cachedInputTokens,
      outputTokens: hit.outputTokens,
      estimated: false,
      ttftMs: stream ? Math.round(performance.now() - auth.started) : null,
      keyId: null,
    },
    { routeId: resolved.route?.id ?? null, cached: true },
  );
}

/** A route target's pinned parameters over the caller's (max_tokens in whichever field the caller used). */
function withParams(raw: Record<string, unknown>, params: GatewayRouteTarget["params"]): Record<string, unknown> {
  if (Object.keys(params).length === 0) return raw;
  const out: Record<string, unknown> = { ...raw, ...params };
  if (params.max_tokens !== undefined && raw.max_completion_tokens !== undefined) {
    delete out.max_tokens;
    out.max_completion_tokens = params.max_tokens;
  }
  return out;
}

/** The provider's key could not be used, or something unexpected broke mid-call (logged). */
export function failedCall(
  res: ServerResponse,
  error: unknown,
  model: GatewayModel,
  shape: "openai" | "anthropic",
): Outcome {
  const known = error instanceof DomainError || error instanceof UndecryptableError;
  if (!known) logger.error("gateway call failed", { error, model: model.gatewayName });
  if (res.headersSent) {
    res.end();
    return refusalOutcome(502, "upstream_server");
  }
  const failure = known
    ? providerKeyFailure(error, model)
    : gatewayError(500, "server_error", "The gateway failed unexpectedly; the error is logged.", "internal_error");
  sendError(res, failure, shape);
  return refusalOutcome(failure.status, known ? "no_usable_key" : "internal_error");
}

export function providerKeyFailure(error: unknown, model: GatewayModel): GatewayError {
  const message =
    error instanceof Error && "code" in error && error.code === "UNAVAILABLE"
      ? error.message
      : "The provider's key could not be used.";
  return gatewayError(502, "upstream_error", `${model.provider.slug}: ${message}`, "provider_key_unavailable");
}

async function callProvider(
  res: ServerResponse,
  auth: Authenticated,
  model: GatewayModel,
  built: Built,
  request: ChatRequest,
  stream: boolean,
  apiKey: string,
  keyId: string | null,
  signal: AbortSignal,
  prompt: () => number,
  callerGone: () => boolean,
  report: (failure: AttemptFailure) => void,
  capture: ((body: string) => void) | null = null,
): Promise<Outcome> {
  const provider = model.provider.slug;
  const wire = model.provider.kind.wireFormat;
  const base = { keyId, ttftMs: null, estimated: false, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  let response;
  try {
    response = await upstreamRequest({ url: built.url, headers: built.headers, body: built.body, signal });
  } catch (error) {
    if (callerGone()) return { ...base, status: "CANCELLED", errorClass: null, httpStatus: 499 };
    const failure = fromCallError(error, provider);
    report({ error: failure.error });
    return { ...base, status: "ERROR", errorClass: failure.errorClass, httpStatus: failure.error.status };
  }
  const status = response.statusCode;
  const contentType = String(response.headers["content-type"] ?? "");
  if (status < 200 || status >= 300) {
    const text = await response.body.text().catch(() => "");
    const error = fromUpstreamStatus(wire, provider, status, text, apiKey);
    report({ error, headers: upstreamRetryAfter(error.status, response.headers), upstreamText: text.slice(0, 2000) });
    return { ...base, status: "ERROR", errorClass: classOf(error), httpStatus: error.status };
  }
  const created = Math.floor(Date.now() / 1000);
  if (!stream || !contentType.includes("text/event-stream")) {
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      if (callerGone()) return { ...base, status: "CANCELLED", errorClass: null, httpStatus: 499 };
      const failure = fromCallError(error, provider);
      report({ error: failure.error });
      return { ...base, status: "ERROR", errorClass: failure.errorClass, httpStatus: failure.error.status };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const error = gatewayError(502, "upstream_error", `${provider}: malformed response (not JSON)`, "upstream_error");
      report({ error });
      return { ...base, status: "ERROR", errorClass: "upstream_server", httpStatus: 502 };
    }
    let usage: ChatUsage | null;
    let answer: unknown = json;
    if (built.translate === "none") {
      usage = readUsage((json as { usage?: unknown }).usage);
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
        "x-request-id": auth.requestId,
      });
      res.end(text);
      capture?.(text);
    } else {
      const context = { created, model: request.model };
      const translated =
        built.translate === "anthropic"
          ? fromAnthropicResponse(json, built.anthropicContext!, context)
          : fromGeminiResponse(json, context);
      if (!translated.ok) {
        report({ error: translated.error });
        return { ...base, status: "ERROR", errorClass: "upstream_server", httpStatus: translated.error.status };
      }
      answer = translated.value;
      usage = translated.value.usage ?? null;
      sendJson(res, 200, translated.value, { "x-request-id": auth.requestId });
      capture?.(JSON.stringify(translated.value));
    }
    const counts = usageCounts(usage);
    if (counts && (counts.inputTokens > 0 || counts.outputTokens > 0))
      return { ...base, ...counts, status: "OK", errorClass: null, httpStatus: 200 };
    return {
      ...base,
      inputTokens: prompt(),
      outputTokens: countTextTokens(answerText(answer)),
      estimated: true,
      status: "OK",
      errorClass: null,
      httpStatus: 200,
    };
  }

  // Streamed.
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": auth.requestId,
  });
  res.flushHeaders();
  const parser = new SseParser();
  const translator: StreamTranslator<SseEvent> | null =
    built.translate === "anthropic"
      ? createAnthropicStreamTranslator(built.anthropicContext!, {
          created,
          model: request.model,
          includeUsage: built.callerAskedForUsage,
        })
      : built.translate === "gemini"
        ? createGeminiStreamTranslator({ created, model: request.model, includeUsage: built.callerAskedForUsage })
        : null;
  let usage: ChatUsage | null = null;
  let ttftMs: number | null = null;
  let kept = "";
  let keptChars = 0;
  let ended = false;
  let failedWith: GatewayError | null = null;
  let captured: string | null = capture ? "" : null;
  const write = (text: string) => {
    if (ttftMs === null) ttftMs = Math.round(performance.now() - auth.started);
    res.write(text);
    if (captured !== null) captured = captured.length + text.length <= MAX_ENTRY_BYTES ? captured + text : null;
  };
  const keep = (text: string) => {
    if (keptChars < KEEP_TEXT_CHARS) {
      kept += text;
      keptChars += text.length;
    }
  };
  const estimatedUsageChunk = () => {
    const promptTokens = prompt();
    const completionTokens = countTextTokens(kept);
    return formatSseJson({
      id: `chatcmpl-${auth.requestId}`,
      object: "chat.completion.chunk",
      created,
      model: request.model,
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  };
  const handle = (events: SseEvent[]) => {
    for (const event of events) {
      if (ended) return;
      if (!translator) {
        const inspected = inspectPassthroughEvent(event, built.callerAskedForUsage);
        if (inspected.usage) usage = inspected.usage;
        if (!inspected.done && !inspected.usage) keep(deltaText(event.data));
        // A caller that asked for usage gets its one usage chunk even when the provider sent none
        // (an estimate, as recorded), or the OpenAI SDK's usage reads stay empty.
        if (inspected.done && built.callerAskedForUsage && !usage) write(estimatedUsageChunk());
        if (inspected.forward) write(inspected.done ? SSE_DONE : formatSse(event));
        if (inspected.done) ended = true;
        continue;
      }
      for (const output of translator.push(event)) emit(output);
    }
  };
  const emit = (output: ReturnType<StreamTranslator<SseEvent>["push"]>[number]) => {
    if (ended) return;
    if (output.type === "chunk") {
      for (const choice of output.chunk.choices)
        if (typeof choice.delta.content === "string") keep(choice.delta.content);
      write(formatSseJson(output.chunk));
    } else if (output.type === "error") {
      failedWith = output.error;
      write(formatSseJson(output.error.body));
      ended = true;
    } else {
      write(SSE_DONE);
      ended = true;
    }
  };
  try {
    for await (const chunk of response.body) {
      handle(parser.push(chunk as Buffer));
      if (ended && translator) break;
      // A slow caller holds the provider back instead of growing this process's memory.
      if (res.writableNeedDrain) await drained(res);
    }
    handle(parser.end());
    if (translator) for (const output of translator.end()) emit(output);
  } catch (error) {
    if (!callerGone()) {
      const failure = fromCallError(error, provider);
      failedWith = failure.error;
      if (!ended) write(formatSseJson(failure.error.body));
    }
  }
  if (translator?.usage) usage = translator.usage;
  if (!res.writableEnded) res.end();
  const counts = usageCounts(usage);
  const cancelled = callerGone();
  const reported = counts !== null && (counts.inputTokens > 0 || counts.outputTokens > 0);
  const tokens = reported
    ? {
        ...counts,
        outputTokens: counts.outputTokens || (cancelled ? countTextTokens(kept) : 0),
        estimated: cancelled && counts.outputTokens === 0 && kept.length > 0,
      }
    : { inputTokens: prompt(), cachedInputTokens: 0, outputTokens: countTextTokens(kept), estimated: true };
  const failure = failedWith as GatewayError | null;
  if (!cancelled && !failure && captured) capture?.(captured);
  return {
    keyId,
    ttftMs,
    ...tokens,
    status: cancelled ? "CANCELLED" : failure ? "ERROR" : "OK",
    errorClass: cancelled ? null : failure ? classOf(failure) : null,
    httpStatus: cancelled ? 499 : 200,
  };
}
