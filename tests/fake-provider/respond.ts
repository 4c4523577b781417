import type { ServerResponse } from "node:http";
import type { FakeBehavior, FakeStatus } from "./behavior";
import type { FakeErrorKind, FakeWireFormat } from "./formats/types";
import { sendJson, sleep, type ChatReply } from "./http-utils";

type ErrorSpec = { status: number; kind: FakeErrorKind; message: string };

const SERVER_ERROR: ErrorSpec = {
  status: 500,
  kind: "server",
  message: "The server had an error while processing your request.",
};

const ERRORS: Record<string, ErrorSpec> = {
  "401": { status: 401, kind: "auth", message: "Incorrect API key provided." },
  "403": { status: 403, kind: "auth", message: "This key is not allowed to use this resource." },
  "404": { status: 404, kind: "model_not_found", message: "The model does not exist or you do not have access to it." },
  "429": { status: 429, kind: "rate_limit", message: "Rate limit reached for requests. Please try again later." },
  quota: {
    status: 429,
    kind: "quota",
    message: "You exceeded your current quota, please check your plan and billing details.",
  },
  "500": SERVER_ERROR,
  "502": { status: 502, kind: "server", message: "Bad gateway." },
  "503": { status: 503, kind: "server", message: "The engine is currently overloaded." },
};

// Auth errors echo the key, as OpenAI's "Incorrect API key provided: sk-..." does, so tests prove
// the client scrubs it.
export function sendError(
  res: ServerResponse,
  format: FakeWireFormat,
  status: FakeStatus,
  behavior: FakeBehavior,
  key?: string,
): void {
  const base = ERRORS[String(status)] ?? SERVER_ERROR;
  const auth = base.kind === "auth" && key ? { ...base, message: `Incorrect API key provided: ${key}.` } : base;
  const spec = behavior.echoKey && key ? { ...auth, message: `${auth.message} (called with key ${key})` } : auth;
  const headers: Record<string, string> = {};
  if (spec.status === 429) headers["retry-after"] = behavior.retryAfter ?? "1";
  sendJson(res, spec.status, format.error(spec.status, spec.kind, spec.message), headers);
}

export function sendModelNotFound(res: ServerResponse, format: FakeWireFormat, model: string): void {
  const message =
    format.name === "ollama"
      ? `model "${model}" not found, try pulling it first`
      : `The model \`${model}\` does not exist or you do not have access to it.`;
  sendJson(res, 404, format.error(404, "model_not_found", message));
}

export function sendMalformed(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"object": "list", "data": [ {"id": ');
}

// Streams the reply token by token with the behaviour's timing and failures.
export async function streamReply(
  res: ServerResponse,
  format: FakeWireFormat,
  reply: ChatReply,
  behavior: FakeBehavior,
): Promise<void> {
  res.writeHead(200, {
    "content-type": format.streamContentType,
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  res.flushHeaders();
  for (const frame of format.streamStart(reply)) res.write(frame);
  if (behavior.malformed) {
    res.end(format.malformedFrame);
    return;
  }
  await sleep(behavior.slowMs);
  for (const [index, token] of reply.tokens.entries()) {
    if (res.destroyed) return;
    for (const frame of format.streamDelta(reply, token, index)) res.write(frame);
    if (index === 0 && behavior.close) {
      // Let the first token reach the client so the failure is mid-response, not a refused call.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (index === 0 && behavior.stall) return;
    await sleep(behavior.dripMs);
  }
  for (const frame of format.streamEnd(reply)) res.write(frame);
  res.end();
}

// A non-streamed answer (completion or model list) with the behaviour's delay and failures.
export async function sendBody(res: ServerResponse, body: unknown, behavior: FakeBehavior): Promise<void> {
  await sleep(behavior.slowMs);
  if (behavior.malformed) return sendMalformed(res);
  if (behavior.close || behavior.stall) {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"id": "partial", ');
    if (behavior.close) res.socket?.destroy();
    return;
  }
  sendJson(res, 200, body);
}

// Gemini's streamGenerateContent without alt=sse: the chunks as one JSON array.
export async function sendJsonArrayStream(
  res: ServerResponse,
  format: FakeWireFormat,
  reply: ChatReply,
  behavior: FakeBehavior,
): Promise<void> {
  await sleep(behavior.slowMs);
  if (behavior.malformed) return sendMalformed(res);
  const frames = [...reply.tokens.flatMap((t, i) => format.streamDelta(reply, t, i)), ...format.streamEnd(reply)];
  sendJson(
    res,
    200,
    frames.map((frame) => JSON.parse(frame.replace(/^data: /, "")) as unknown),
  );
}
