import "server-only";
import type { ServerResponse } from "node:http";
import type { GatewayModel, GatewayRoute, GatewayRouteTarget } from "@/lib/gateway/catalog-cache";
import { claimTarget, reportTarget, targetKey } from "@/lib/gateway/cooldowns";
import { backoffMs, failureKind } from "@/lib/gateway/failure-kind";
import { gatewayError, type GatewayError } from "@/lib/gateway/formats";
import { sendError, type ErrorShape } from "@/lib/gateway/http-io";
import { refusalOutcome, type Outcome } from "@/lib/gateway/pipeline";
import { withProviderKey, type KeyInUse } from "@/lib/gateway/provider-key";
import { DomainError } from "@/lib/errors/domain-error";
import { takeKeyOutOfRotation } from "@/lib/keys/with-decrypted-key";
import { logger } from "@/lib/log/logger";

// One gateway request's provider attempts: the targets in the route's order (one for a plain
// model), each retried with backoff within the request's deadline, skipping targets that are
// cooling down across the deployment, moving to the provider's next key when one is refused.
// An attempt reports a failure instead of answering the caller while nothing has been sent, so
// the next target can still answer; after the first byte a failure ends the stream there.

export type AttemptFailure = { error: GatewayError; headers?: Record<string, string>; upstreamText?: string };

export type AttemptRecord = {
  attempt: number;
  providerId: string;
  modelId: string;
  keyId: string | null;
  keyLast4: string | null;
  httpStatus: number | null;
  errorClass: string | null;
  latencyMs: number;
  startedAt: Date;
};

export type AttemptFn = (
  target: GatewayRouteTarget,
  apiKey: string,
  key: KeyInUse,
  report: (failure: AttemptFailure) => void,
  signal: AbortSignal,
) => Promise<Outcome>;

export type AttemptsResult = { outcome: Outcome; model: GatewayModel; attempts: AttemptRecord[] };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterSeconds(headers: Record<string, string> | undefined): number | null {
  const value = headers?.["retry-after"];
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  // Or an HTTP date (RFC 9110), which providers and proxies send too.
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * One attempt's signal: the caller's, or the target's timeout. Not AbortSignal.any with
 * AbortSignal.timeout: Node 20 can collect those signals before they fire (nodejs/node#57736),
 * and a hanging provider then held the request past every timeout (gateway-faults.test.ts).
 */
function attemptSignal(parent: AbortSignal, timeoutMs: number): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException("The target's timeout passed", "TimeoutError")),
    timeoutMs,
  );
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      parent.removeEventListener("abort", onAbort);
    },
  };
}

const noop = () => undefined;
const sharedSignal = (signal: AbortSignal) => ({ signal, release: noop });

export async function runAttempts(options: {
  res: ServerResponse;
  shape: ErrorShape;
  route: GatewayRoute | null;
  targets: readonly GatewayRouteTarget[];
  deadlineAt: number;
  signal: AbortSignal;
  /** When `signal` aborts by itself: no attempt needs its own timer when that comes first. */
  signalDeadlineAt?: number;
  callerGone: () => boolean;
  attempt: AttemptFn;
}): Promise<AttemptsResult> {
  const { route, targets } = options;
  const attempts: AttemptRecord[] = [];
  const retries = route?.retries ?? 0;
  let last: AttemptFailure | null = null;
  let lastModel = targets[0]!.model;
  let lastOutcome: Outcome = refusalOutcome(502, "upstream_server");
  let needsWindowOver: number | null = null;

  for (const target of targets) {
    const { model } = target;
    if (needsWindowOver !== null && (model.contextWindow === null || model.contextWindow <= needsWindowOver)) continue;
    const key = targetKey(model.provider.id, model.id);
    if (route) {
      const probeMs = Math.min(target.timeoutMs ?? route.deadlineMs, route.deadlineMs);
      const claim = await claimTarget(key, probeMs);
      if (claim === "skip") continue;
    }
    lastModel = model;
    const excluded = new Set<string>();
    let targetFailed = false;
    let failureClass: string | null = null;
    for (let n = 0; n <= retries; n += 1) {
      if (Date.now() >= options.deadlineAt || options.callerGone()) break;
      let failure: AttemptFailure | null = null;
      const startedAt = new Date();
      const started = performance.now();
      const timeout = Math.max(1, Math.min(target.timeoutMs ?? Infinity, options.deadlineAt - Date.now()));
      // A plain model call's attempt ends with the caller's own deadline: no second controller.
      const ownTimer =
        target.timeoutMs !== undefined ||
        options.signalDeadlineAt === undefined ||
        options.signalDeadlineAt > options.deadlineAt;
      const { signal, release } = ownTimer ? attemptSignal(options.signal, timeout) : sharedSignal(options.signal);
      let used: KeyInUse = { keyId: null, last4: null };
      let outcome: Outcome;
      try {
        outcome = await withProviderKey(
          model,
          (apiKey, _keyId, inUse) => {
            used = inUse;
            return options.attempt(target, apiKey, inUse, (reported) => (failure = reported), signal);
          },
          { exclude: excluded },
        );
      } catch (error) {
        if (!(error instanceof DomainError && error.code === "UNAVAILABLE")) throw error;
        failure = {
          error: gatewayError(
            502,
            "upstream_error",
            `${model.provider.slug}: ${error.message}`,
            "provider_key_unavailable",
          ),
        };
        outcome = refusalOutcome(502, "no_usable_key");
      } finally {
        release();
      }
      const reported = failure as AttemptFailure | null;
      attempts.push({
        attempt: attempts.length + 1,
        providerId: model.provider.id,
        modelId: model.id,
        keyId: used.keyId,
        keyLast4: used.last4,
        httpStatus: outcome.httpStatus,
        errorClass: outcome.status === "CANCELLED" ? "cancelled" : outcome.errorClass,
        latencyMs: Math.round(performance.now() - started),
        startedAt,
      });
      if (!reported) {
        if (route) void report(route, key, model, outcome.status !== "ERROR", outcome.errorClass);
        return { outcome, model, attempts };
      }
      last = reported;
      lastOutcome = outcome;
      const kind = failureKind(reported.error, reported.upstreamText);
      failureClass = outcome.errorClass;
      if (kind === "fatal") {
        sendError(options.res, reported.error, options.shape, reported.headers);
        return { outcome, model, attempts };
      }
      if (kind === "key" && used.keyId) {
        const reason =
          reported.error.body.error.code === "upstream_auth_failed"
            ? "the provider refused the key (401/403)"
            : "quota exhausted";
        excluded.add(used.keyId);
        // Awaited: the next key is read after the flag is committed, or that read (cached for a
        // second) would still hold the refused key and hand it to the next request again.
        await takeKeyOutOfRotation(used.keyId, model.provider.id, reason).catch((error: unknown) =>
          logger.warn("gateway: taking a key out of rotation failed", { error }),
        );
        n -= 1; // another key of the same provider is not a retry of the same call
        if (excluded.size > 16) n = retries;
        continue;
      }
      if (kind === "context") {
        // The prompt's fault, not the target's: an overflow must not count towards its cooldown.
        needsWindowOver = model.contextWindow ?? 0;
        if (!targetFailed) failureClass = null;
        break;
      }
      targetFailed = true;
      if (kind === "next" || n === retries) break;
      const wait = backoffMs(n, retryAfterSeconds(reported.headers));
      if (Date.now() + wait >= options.deadlineAt) break;
      await sleep(wait);
    }
    if (route && (targetFailed || failureClass)) void report(route, key, model, false, failureClass);
  }
  if (options.callerGone())
    return { outcome: { ...lastOutcome, status: "CANCELLED", httpStatus: 499 }, model: lastModel, attempts };
  const answer =
    last?.error ??
    gatewayError(
      503,
      "server_error",
      route
        ? `Every target of route "${route.name}" is cooling down or failed; try again shortly.`
        : "The provider could not be called.",
      "route_unavailable",
    );
  sendError(
    options.res,
    answer,
    options.shape,
    last?.headers ?? (route ? { "retry-after": String(route.cooldownSeconds) } : {}),
  );
  return { outcome: { ...lastOutcome, status: "ERROR", httpStatus: answer.status }, model: lastModel, attempts };
}

function report(route: GatewayRoute, key: string, model: GatewayModel, ok: boolean, errorClass: string | null) {
  return reportTarget(
    key,
    { providerId: model.provider.id, modelId: model.id },
    ok,
    { failures: route.cooldownFailures, cooldownSeconds: route.cooldownSeconds },
    errorClass,
  ).catch((error: unknown) => logger.warn("gateway: recording a target's health failed", { error }));
}
