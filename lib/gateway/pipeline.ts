import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { admit, release, type Lease } from "@/lib/gateway/admission";
import {
  freshCatalogForMiss,
  gatewayCatalog,
  resolveModel,
  type GatewayModel,
  type GatewayRoute,
  type GatewayRouteTarget,
} from "@/lib/gateway/catalog-cache";
import { planTargets } from "@/lib/routes/plan";
import { DEFAULT_MAX_OUTPUT_TOKENS, maxCostDecimal } from "@/lib/gateway/cost-estimate";
import { gatewayError, type GatewayError } from "@/lib/gateway/formats";
import { retryAfter } from "@/lib/gateway/http-io";
import {
  checkGatewayKey,
  modelAllowed,
  presentedKey,
  stampKeyUsed,
  type GatewayKeyRecord,
} from "@/lib/gateway/key-cache";
import { enqueueUsage } from "@/lib/gateway/usage-writer";
import type { UsageInput } from "@/lib/usage/record-usage";
import type { AttemptRecord } from "@/lib/gateway/attempts";

// The steps every gateway request takes before and after its provider call: the caller's key,
// the model it names (and whether the key may use it), admission against limits and budgets, and
// at the end exactly one usage record. Errors are returned as values in OpenAI's shape; the
// endpoint turns them into its caller's format.

/** `model`: the model the request named, when known, so the refusal is recorded as its usage. */
export type Refusal = { error: GatewayError; headers?: Record<string, string>; model?: GatewayModel };

export type Authenticated = { key: GatewayKeyRecord; started: number; requestId: string };

export function clientAddress(req: IncomingMessage): string {
  const hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
  if (hops > 0) {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    const candidate = forwarded[forwarded.length - hops];
    if (candidate) return candidate;
  }
  return req.socket.remoteAddress ?? "";
}

export async function authenticate(req: IncomingMessage): Promise<Authenticated | Refusal> {
  const started = performance.now();
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const check = await checkGatewayKey(presentedKey(header("authorization"), header("x-api-key")), clientAddress(req));
  if (!check.ok) {
    const type = check.status === 401 ? "authentication_error" : "permission_error";
    return { error: gatewayError(check.status, type, check.message, check.code) };
  }
  stampKeyUsed(check.key.id);
  return { key: check.key, started, requestId: randomUUID() };
}

export type Resolved = {
  /** The first target: what refusals are recorded against, and whose provider budget is checked. */
  model: GatewayModel;
  route: GatewayRoute | null;
  /** In the order to try (one for a plain model name). */
  targets: GatewayRouteTarget[];
  catalog: Awaited<ReturnType<typeof gatewayCatalog>>;
};

export async function resolveFor(
  key: GatewayKeyRecord,
  name: unknown,
  accept: (model: GatewayModel) => GatewayError | null = () => null,
): Promise<Resolved | Refusal> {
  if (typeof name !== "string" || name === "")
    return { error: gatewayError(400, "invalid_request_error", "`model` is required.", "missing_model", "model") };
  let catalog = await gatewayCatalog();
  let found = resolveModel(catalog, name);
  if (!found.ok) {
    const fresh = await freshCatalogForMiss();
    if (fresh) {
      catalog = fresh;
      found = resolveModel(catalog, name);
    }
  }
  if (!found.ok) {
    const message =
      found.reason === "ambiguous"
        ? `Model "${name.slice(0, 200)}" is offered by several providers: name it as provider/model (GET /v1/models lists them).`
        : `Model "${name.slice(0, 200)}" does not exist or is not enabled (GET /v1/models lists what this key may call).`;
    return { error: gatewayError(404, "not_found_error", message, "model_not_found", "model") };
  }
  if (found.route) {
    const route = found.route;
    const planned = planTargets(route.strategy, route.groups);
    if (key.allowedModels.length > 0 && !key.allowedModels.includes(route.name)) {
      return {
        error: gatewayError(
          403,
          "permission_error",
          `This gateway key may not call "${route.name}".`,
          "model_not_allowed",
          "model",
        ),
        model: planned[0]?.model,
      };
    }
    const targets = planned.filter((target) => accept(target.model) === null);
    const first = planned[0];
    if (!first)
      return {
        error: gatewayError(
          503,
          "server_error",
          `Route "${route.name}" has no callable target (each is disabled or archived).`,
          "route_unavailable",
        ),
      };
    if (targets.length === 0) return { error: accept(first.model)!, model: first.model };
    return { model: targets[0]!.model, route, targets, catalog };
  }
  const model = found.model;
  if (!modelAllowed(key, model.gatewayName, model.modelId)) {
    return {
      error: gatewayError(
        403,
        "permission_error",
        `This gateway key may not call "${model.gatewayName}".`,
        "model_not_allowed",
        "model",
      ),
      model,
    };
  }
  const refused = accept(model);
  if (refused) return { error: refused, model };
  return { model, route: null, targets: [{ model, weight: 1, params: {}, timeoutMs: undefined }], catalog };
}

export type Admitted = { lease: Lease | null };

const PROVIDER_BUDGET = "budget:provider:";

/**
 * Admission for the request's targets. Every provider a route may fall back to counts with its
 * hard budget (a fallback must not spend past one either), and a route whose provider's budget is
 * spent drops that provider's targets from `resolved` and is admitted for the rest, if any.
 */
export async function admitRequest(
  auth: Authenticated,
  resolved: Resolved,
  promptTokens: () => number,
  maxOutputTokens: number | undefined,
): Promise<Admitted | Refusal> {
  // A refusal is recorded against the model the request named, even after targets were dropped.
  const named = resolved.model;
  for (;;) {
    const admission = await admitTargets(auth, resolved, promptTokens, maxOutputTokens);
    if (admission.ok) return { lease: admission.lease };
    const spent = admission.reason.startsWith(PROVIDER_BUDGET) ? admission.reason.slice(PROVIDER_BUDGET.length) : null;
    const rest = spent && resolved.route ? resolved.targets.filter((t) => t.model.provider.id !== spent) : [];
    if (rest.length > 0 && rest.length < resolved.targets.length) {
      resolved.targets = rest;
      resolved.model = rest[0]!.model;
      continue;
    }
    return { ...refusalOf(admission), model: named };
  }
}

function admitTargets(
  auth: Authenticated,
  resolved: Resolved,
  promptTokens: () => number,
  maxOutputTokens: number | undefined,
) {
  // A route reserves for its dearest target: a fallback must not run the budget over either.
  const costs = resolved.targets.map((target) => {
    const cap =
      target.params.max_tokens ?? maxOutputTokens ?? target.model.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const price = target.model.price;
    return price ? (tokens: number) => maxCostDecimal(price, tokens, cap) : null;
  });
  const priced = costs.every((cost) => cost !== null);
  const only = costs.length === 1 ? costs[0] : undefined;
  return admit({
    key: auth.key,
    providerIds: resolved.targets.map((target) => target.model.provider.id),
    promptTokens,
    maxCost: !priced
      ? null
      : (only ?? ((tokens) => costs.map((cost) => cost!(tokens)).reduce((a, b) => (a.gte(b) ? a : b)))),
    catalog: resolved.catalog,
  });
}

function refusalOf(admission: Extract<Awaited<ReturnType<typeof admit>>, { ok: false }>): Refusal {
  const status = admission.reason === "unpriced" ? 403 : 429;
  const code = admission.reason.startsWith("budget:")
    ? "budget_exceeded"
    : admission.reason === "unpriced"
      ? "model_unpriced"
      : "rate_limit_exceeded";
  return {
    error: gatewayError(status, status === 429 ? "rate_limit_error" : "permission_error", admission.message, code),
    headers: admission.retryAfterMs > 0 ? retryAfter(admission.retryAfterMs) : {},
  };
}

export type Outcome = {
  status: UsageInput["status"];
  errorClass: string | null;
  httpStatus: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  estimated: boolean;
  ttftMs: number | null;
  /** The provider key used, when one was. */
  keyId: string | null;
};

/** Exactly one record per request that reached a model, refused or not. Frees the lease first. */
export function finish(
  auth: Authenticated,
  model: GatewayModel,
  lease: Lease | null,
  outcome: Outcome,
  extra: { routeId?: string | null; attempts?: AttemptRecord[]; cached?: boolean } = {},
): void {
  release(lease);
  const latencyMs = Math.max(0, Math.round(performance.now() - auth.started));
  enqueueUsage({
    record: {
      clientRecordId: auth.requestId,
      occurredAt: new Date(),
      providerId: model.provider.id,
      modelId: model.id,
      keyId: outcome.keyId,
      tag: "",
      inputTokens: outcome.inputTokens,
      cachedInputTokens: Math.min(outcome.cachedInputTokens, outcome.inputTokens),
      outputTokens: outcome.outputTokens,
      latencyMs,
      ttftMs: outcome.ttftMs,
      status: outcome.status,
      errorClass: outcome.errorClass,
      httpStatus: outcome.httpStatus,
      gatewayKeyId: auth.key.id,
      teamId: auth.key.teamId,
      estimated: outcome.estimated,
      routeId: extra.routeId ?? null,
      cached: extra.cached ?? false,
    },
    attempts: extra.attempts ?? [],
    lease,
    totalTokens: outcome.inputTokens + outcome.outputTokens,
  });
}

/**
 * A refused request that named a known model (not allowed for the key, the wrong endpoint, a
 * limit or budget): recorded as its usage. Unknown models and keys have nothing to record against.
 */
export function recordRefusal(auth: Authenticated, refusal: Refusal): void {
  if (refusal.model)
    finish(auth, refusal.model, null, refusalOutcome(refusal.error.status, refusal.error.body.error.code ?? "refused"));
}

export function refusalOutcome(status: number, errorClass: string): Outcome {
  return {
    status: "ERROR",
    errorClass,
    httpStatus: status,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    estimated: false,
    ttftMs: null,
    keyId: null,
  };
}

export function isRefusal(value: object): value is Refusal {
  return "error" in value;
}
