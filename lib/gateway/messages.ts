import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  anthropicUsage,
  formatSse,
  gatewayError,
  invalidRequest,
  SseParser,
  type GatewayError,
} from "@/lib/gateway/formats";
import type { GatewayModel } from "@/lib/gateway/catalog-cache";
import { drained, sendError, jsonObjectBody, watchCaller } from "@/lib/gateway/http-io";
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
import { runAttempts, type AttemptFailure, type AttemptRecord } from "@/lib/gateway/attempts";
import { countTextTokens, estimatePromptTokens } from "@/lib/gateway/token-estimate";
import { upstreamRequest } from "@/lib/gateway/upstream";
import { classOf, fromCallError, fromUpstreamStatus, upstreamRetryAfter } from "@/lib/gateway/upstream-errors";
import { ANTHROPIC_VERSION, apiRoot } from "@/lib/provider-clients/wire-formats";

// POST /v1/messages, Anthropic's own API for applications built on Anthropic's SDK: routed to
// Anthropic-kind providers only, the caller's JSON passed on with the model name swapped, the
// answer's bytes (or events) passed back, usage read from the answer. Errors in Anthropic's shape.
// A route's targets are tried like chat's (attempts.ts); a failure before the first byte is
// reported there so the next target can still answer.

const REQUEST_TIMEOUT_MS = Number(process.env.GATEWAY_REQUEST_TIMEOUT_MS ?? 600_000);

type MessagesBody = {
  model?: unknown;
  messages?: unknown;
  system?: unknown;
  tools?: unknown;
  max_tokens?: unknown;
  stream?: unknown;
};

function usageOf(value: unknown) {
  if (!value || typeof value !== "object") return null;
  const usage = anthropicUsage(value as Parameters<typeof anthropicUsage>[0]);
  return {
    inputTokens: usage.prompt_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: usage.completion_tokens,
  };
}

export async function handleMessages(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  auth: Authenticated,
): Promise<void> {
  const parsedBody = jsonObjectBody(body);
  if (!parsedBody.ok) return sendError(res, parsedBody.error, "anthropic");
  const raw = parsedBody.value as MessagesBody;
  const resolved = await resolveFor(auth.key, raw.model, (model) =>
    model.provider.kind.wireFormat === "anthropic"
      ? null
      : invalidRequest(
          `/v1/messages reaches Anthropic providers only; call "${model.gatewayName}" through /v1/chat/completions.`,
          "model",
        ),
  );
  if (isRefusal(resolved)) {
    recordRefusal(auth, resolved);
    return sendError(res, resolved.error, "anthropic", resolved.headers);
  }
  const { model } = resolved;
  if (!Array.isArray(raw.messages) || typeof raw.max_tokens !== "number" || raw.max_tokens < 1) {
    finish(auth, model, null, refusalOutcome(400, "invalid_request"));
    return sendError(
      res,
      invalidRequest("`messages` (an array) and `max_tokens` (a positive number) are required."),
      "anthropic",
    );
  }
  const messages = raw.messages as { role?: unknown; content?: unknown }[];
  let tokens: number | undefined;
  const prompt = () => (tokens ??= estimatePromptTokens(messages, raw.tools, raw.system));
  const admitted = await admitRequest(auth, resolved, prompt, raw.max_tokens);
  if (isRefusal(admitted)) {
    recordRefusal(auth, admitted);
    return sendError(res, admitted.error, "anthropic", admitted.headers);
  }
  const caller = watchCaller(res, REQUEST_TIMEOUT_MS);
  const beta = req.headers["anthropic-beta"];
  holdEndUntilReleased(res, admitted.lease);
  let outcome: Outcome = refusalOutcome(502, "upstream_server");
  let answered = model;
  let attempts: AttemptRecord[] = [];
  try {
    // A route's targets in turn, like chat: retries, fallback before the first byte, cooldowns.
    const result = await runAttempts({
      res,
      shape: "anthropic",
      route: resolved.route,
      targets: resolved.targets,
      deadlineAt: Date.now() + (resolved.route?.deadlineMs ?? REQUEST_TIMEOUT_MS),
      signal: caller.signal,
      signalDeadlineAt: caller.deadlineAt,
      callerGone: caller.gone,
      attempt: (target, apiKey, key, report, signal) =>
        call(
          res,
          auth,
          target.model,
          // Anthropic names temperature, top_p and max_tokens as the target overrides do.
          { ...raw, ...target.params, model: target.model.modelId },
          apiKey,
          key.keyId,
          signal,
          prompt,
          caller.gone,
          typeof beta === "string" ? beta : undefined,
          report,
        ),
    });
    outcome = result.outcome;
    answered = result.model;
    attempts = result.attempts;
  } catch (error) {
    outcome = failedCall(res, error, model, "anthropic");
  } finally {
    caller.done();
    finish(auth, answered, admitted.lease, outcome, { routeId: resolved.route?.id ?? null, attempts });
  }
}

async function call(
  res: ServerResponse,
  auth: Authenticated,
  model: GatewayModel,
  payload: MessagesBody,
  apiKey: string,
  keyId: string | null,
  signal: AbortSignal,
  prompt: () => number,
  callerGone: () => boolean,
  beta: string | undefined,
  report: (failure: AttemptFailure) => void,
): Promise<Outcome> {
  const provider = model.provider.slug;
  const base = { keyId, ttftMs: null, estimated: false, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-api-key": apiKey,
    "anthropic-version": ANTHROPIC_VERSION,
    ...(beta ? { "anthropic-beta": beta.slice(0, 500) } : {}),
  };
  const stream = payload.stream === true;
  if (stream) headers.accept = "text/event-stream";
  let response;
  try {
    response = await upstreamRequest({
      url: `${apiRoot("anthropic", model.provider.baseUrl)}/messages`,
      headers,
      body: JSON.stringify(payload),
      signal,
    });
  } catch (error) {
    if (callerGone()) return { ...base, status: "CANCELLED", errorClass: null, httpStatus: 499 };
    const failure = fromCallError(error, provider);
    report({ error: failure.error });
    return { ...base, status: "ERROR", errorClass: failure.errorClass, httpStatus: failure.error.status };
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    const text = await response.body.text().catch(() => "");
    const error = fromUpstreamStatus("anthropic", provider, response.statusCode, text, apiKey);
    report({ error, headers: upstreamRetryAfter(error.status, response.headers), upstreamText: text.slice(0, 2000) });
    return { ...base, status: "ERROR", errorClass: classOf(error), httpStatus: error.status };
  }
  const contentType = String(response.headers["content-type"] ?? "");
  if (!stream || !contentType.includes("text/event-stream")) {
    const text = await response.body.text().catch(() => null);
    if (text === null) {
      if (callerGone()) return { ...base, status: "CANCELLED", errorClass: null, httpStatus: 499 };
      report({ error: gatewayError(502, "upstream_error", `${provider}: the answer was cut off`, "upstream_error") });
      return { ...base, status: "ERROR", errorClass: "upstream_server", httpStatus: 502 };
    }
    type Answer = { usage?: unknown; content?: { text?: unknown }[] };
    let json: Answer | null;
    try {
      json = JSON.parse(text) as Answer;
    } catch {
      json = null;
    }
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "request-id": auth.requestId,
    });
    res.end(text);
    const counts = usageOf(json?.usage);
    if (counts && (counts.inputTokens > 0 || counts.outputTokens > 0))
      return { ...base, ...counts, status: "OK", errorClass: null, httpStatus: 200 };
    const answer = (json?.content ?? []).map((block) => (typeof block.text === "string" ? block.text : "")).join("");
    return {
      ...base,
      inputTokens: prompt(),
      outputTokens: countTextTokens(answer),
      estimated: true,
      status: "OK",
      errorClass: null,
      httpStatus: 200,
    };
  }
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "request-id": auth.requestId,
  });
  res.flushHeaders();
  const parser = new SseParser();
  let ttftMs: number | null = null;
  let input = { inputTokens: 0, cachedInputTokens: 0 };
  let output = 0;
  let text = "";
  let failed: GatewayError | null = null;
  const handle = (events: ReturnType<SseParser["push"]>) => {
    for (const event of events) {
      if (ttftMs === null) ttftMs = Math.round(performance.now() - auth.started);
      res.write(formatSse(event));
      if (event.event === "message_start" || event.event === "message_delta") {
        try {
          const data = JSON.parse(event.data) as { message?: { usage?: unknown }; usage?: { output_tokens?: number } };
          if (event.event === "message_start") {
            const counts = usageOf(data.message?.usage);
            if (counts) input = { inputTokens: counts.inputTokens, cachedInputTokens: counts.cachedInputTokens };
          } else if (typeof data.usage?.output_tokens === "number") output = data.usage.output_tokens;
        } catch {
          // A malformed event is forwarded as it came; its usage is counted by the tokenizer.
        }
      } else if (event.event === "content_block_delta" && text.length < 2_000_000) {
        try {
          const data = JSON.parse(event.data) as { delta?: { text?: unknown; partial_json?: unknown } };
          if (typeof data.delta?.text === "string") text += data.delta.text;
          else if (typeof data.delta?.partial_json === "string") text += data.delta.partial_json;
        } catch {
          // as above
        }
      }
    }
  };
  try {
    for await (const chunk of response.body) {
      handle(parser.push(chunk as Buffer));
      if (res.writableNeedDrain) await drained(res);
    }
    handle(parser.end());
  } catch (error) {
    if (!callerGone()) {
      failed = fromCallError(error, provider).error;
      res.write(
        formatSse({
          event: "error",
          data: JSON.stringify({ type: "error", error: { type: "api_error", message: failed.body.error.message } }),
        }),
      );
    }
  }
  if (!res.writableEnded) res.end();
  const cancelled = callerGone();
  const estimatedInput = input.inputTokens === 0;
  const estimatedOutput = output === 0 && text.length > 0;
  return {
    keyId,
    ttftMs,
    inputTokens: estimatedInput ? prompt() : input.inputTokens,
    cachedInputTokens: input.cachedInputTokens,
    outputTokens: estimatedOutput ? countTextTokens(text) : output,
    estimated: estimatedInput || estimatedOutput,
    status: cancelled ? "CANCELLED" : failed ? "ERROR" : "OK",
    errorClass: cancelled ? null : failed ? "upstream_server" : null,
    httpStatus: cancelled ? 499 : 200,
  };
}
