import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayError } from "@/lib/gateway/formats";
import { invalidRequest, toAnthropicErrorBody } from "@/lib/gateway/formats";

// Reading bodies and writing answers on the gateway's plain node:http server.

export const MAX_BODY_BYTES = Number(process.env.GATEWAY_MAX_BODY_BYTES ?? 8 * 1024 * 1024);

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

export type ErrorShape = "openai" | "anthropic";

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  error: GatewayError,
  shape: ErrorShape,
  headers: Record<string, string> = {},
): void {
  sendJson(res, error.status, shape === "anthropic" ? toAnthropicErrorBody(error) : error.body, headers);
}

/** Retry-After in whole seconds, at least one. */
export function retryAfter(ms: number): Record<string, string> {
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** Resolves when the caller has taken what was written (or has gone). */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

/** The request body as a JSON object, or the 400 to answer (never a 500 for bad input). */
export function jsonObjectBody(
  body: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: GatewayError } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, error: invalidRequest("Request body is not valid JSON", null, "invalid_json") };
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { ok: false, error: invalidRequest("Request body must be a JSON object") };
  return { ok: true, value: value as Record<string, unknown> };
}

export type CallerWatch = {
  signal: AbortSignal;
  /** When the signal aborts by itself (Date.now() time). */
  deadlineAt: number;
  gone: () => boolean;
  done: () => void;
};

/**
 * Aborts the provider call when the caller hangs up before the answer ends, or at the deadline.
 * `gone()` tells a cancelled request from a failed one; `done()` clears the deadline.
 */
export function watchCaller(res: ServerResponse, deadlineMs: number): CallerWatch {
  const controller = new AbortController();
  const deadlineAt = Date.now() + deadlineMs;
  const deadline = setTimeout(() => controller.abort(new DOMException("deadline", "TimeoutError")), deadlineMs);
  let gone = false;
  res.on("close", () => {
    if (!res.writableFinished) {
      gone = true;
      controller.abort(new DOMException("caller went away", "AbortError"));
    }
  });
  return { signal: controller.signal, deadlineAt, gone: () => gone, done: () => clearTimeout(deadline) };
}
