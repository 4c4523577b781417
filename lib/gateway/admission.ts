import "server-only";
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { admissionPool } from "@/lib/gateway/admission-pool";
import type { Catalog } from "@/lib/gateway/catalog-cache";
import type { GatewayKeyRecord } from "@/lib/gateway/key-cache";
import { logger } from "@/lib/log/logger";
import { redisLimiter } from "@/lib/gateway/redis-limits";

// Whether a gateway request may start: the key's requests and tokens per minute and parallel
// requests, and every hard budget it counts against (key, team, provider, overall). One database
// round trip (gateway_admit, migration 20261202042708_gateway) does all of it and leaves a lease:
// the request's parallel slot and its maximum cost reserved in each budget scope. With REDIS_URL
// the per-key limits are counted in Redis instead and only budgets go to PostgreSQL. Either way
// the state is shared by every instance, never kept in one process.

/** A lease outlives a request only when its instance died; then it stops counting at expiry. */
const LEASE_TTL_MS = Number(process.env.GATEWAY_REQUEST_TIMEOUT_MS ?? 600_000) + 60_000;

export type Lease = {
  id: string;
  keyId: string;
  inPostgres: boolean;
  inRedis: boolean;
  promptTokens: number;
  /** The key has a parallel limit: the slot must be freed before the answer ends. */
  parallel?: boolean;
  released?: boolean;
};

export type Admission =
  { ok: true; lease: Lease | null } | { ok: false; reason: string; retryAfterMs: number; message: string };

export type AdmissionRequest = {
  key: GatewayKeyRecord;
  providerId: string;
  /** Counted only when a limit needs it (the tokenizer is not free on long prompts). */
  promptTokens: () => number;
  /** The request's maximum cost (Decimal text) for a prompt size, or null when the model has no price. */
  maxCost: ((promptTokens: number) => string) | null;
  catalog: Catalog;
  now?: Date;
};

export type BudgetScope = { scope: string; limit: string };

/** Hard budgets this request counts against, in lock order. */
export function budgetScopes(request: AdmissionRequest): BudgetScope[] {
  const scopes: BudgetScope[] = [];
  const { key, catalog, providerId } = request;
  if (key.monthlyBudgetUsd !== null) scopes.push({ scope: `key:${key.id}`, limit: key.monthlyBudgetUsd });
  const overall = catalog.hardBudgets.get("overall");
  if (overall !== undefined) scopes.push({ scope: "overall", limit: overall });
  const provider = catalog.hardBudgets.get(`provider:${providerId}`);
  if (provider !== undefined) scopes.push({ scope: `provider:${providerId}`, limit: provider });
  if (key.teamBudgetUsd !== null) scopes.push({ scope: `team:${key.teamId}`, limit: key.teamBudgetUsd });
  return scopes.sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}

function monthOf(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

function scopeLabel(scope: string): string {
  if (scope === "overall") return "the organisation's overall";
  if (scope.startsWith("key:")) return "this gateway key's";
  if (scope.startsWith("team:")) return "this key's team's";
  return "this provider's";
}

export function refusalMessage(reason: string): string {
  if (reason === "rpm") return "Rate limit reached: this gateway key's requests per minute are used up.";
  if (reason === "tpm") return "Rate limit reached: this gateway key's tokens per minute are used up.";
  if (reason === "parallel") return "Too many parallel requests for this gateway key.";
  if (reason === "unpriced")
    return "This model has no price, so a request under a hard budget cannot be admitted: add a price on the model's page.";
  if (reason.startsWith("budget:"))
    return `Budget reached: ${scopeLabel(reason.slice(7))} monthly budget is spent (or reserved by running requests).`;
  return "Request refused by a limit.";
}

export async function admit(request: AdmissionRequest): Promise<Admission> {
  const { key } = request;
  const scopes = budgetScopes(request);
  const keyLimits = key.rpmLimit !== null || key.tpmLimit !== null || key.maxParallel !== null;
  if (scopes.length === 0 && !keyLimits) return { ok: true, lease: null };
  if (scopes.length > 0 && request.maxCost === null) {
    return { ok: false, reason: "unpriced", retryAfterMs: 0, message: refusalMessage("unpriced") };
  }
  const id = randomUUID();
  const promptTokens = scopes.length > 0 || key.tpmLimit !== null ? request.promptTokens() : 0;
  const redis = redisLimiter();
  let inRedis = false;
  if (keyLimits && redis) {
    const verdict = await redis.admit(key, id, promptTokens, LEASE_TTL_MS);
    if (verdict)
      return {
        ok: false,
        reason: verdict.reason,
        retryAfterMs: verdict.retryAfterMs,
        message: refusalMessage(verdict.reason),
      };
    inRedis = true;
  }
  const pgKeyLimits = keyLimits && !redis;
  if (scopes.length === 0 && !pgKeyLimits)
    return {
      ok: true,
      lease: { id, keyId: key.id, inPostgres: false, inRedis, promptTokens, parallel: key.maxParallel !== null },
    };
  try {
    const { rows } = await admissionPool().query<{ reason: string | null; retry_after_ms: number }>({
      name: "gateway-admit",
      text: "SELECT reason, retry_after_ms FROM gateway_admit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      values: [
        id,
        key.id,
        monthOf(request.now ?? new Date()),
        scopes.map((s) => s.scope),
        scopes.map((s) => s.limit),
        request.maxCost ? request.maxCost(promptTokens) : "0",
        key.rpmLimit,
        key.tpmLimit,
        promptTokens,
        key.maxParallel,
        LEASE_TTL_MS,
        pgKeyLimits,
      ],
    });
    const reason = rows[0]?.reason ?? null;
    if (reason) {
      if (inRedis) void redis?.release(key.id, id);
      return { ok: false, reason, retryAfterMs: rows[0]?.retry_after_ms ?? 1000, message: refusalMessage(reason) };
    }
  } catch (error) {
    if (inRedis) void redis?.release(key.id, id);
    throw error;
  }
  return {
    ok: true,
    lease: { id, keyId: key.id, inPostgres: true, inRedis, promptTokens, parallel: key.maxParallel !== null },
  };
}

// A finished request frees its parallel slot at once; its reserved cost stays until the usage
// writer settles it with the record (same transaction), so no moment counts the money twice or not
// at all. Releases are sent together, one statement per event-loop turn.
let pendingReleases: string[] = [];
let releaseScheduled = false;

export function release(lease: Lease | null): void {
  if (!lease || lease.released) return;
  if (lease.inRedis) void redisLimiter()?.release(lease.keyId, lease.id);
  if (!lease.inPostgres) return;
  pendingReleases.push(lease.id);
  if (releaseScheduled) return;
  releaseScheduled = true;
  setImmediate(() => {
    const ids = pendingReleases;
    pendingReleases = [];
    releaseScheduled = false;
    admissionPool()
      .query({
        name: "gateway-release",
        text: "UPDATE gateway_leases SET inflight = false WHERE id = ANY($1::uuid[])",
        values: [ids],
      })
      .catch((error: unknown) => logger.warn("gateway lease release failed (leases expire on their own)", { error }));
  });
}

/**
 * A key with a parallel limit gets its slot back before the caller sees the answer's last byte:
 * its next request, on any instance, must find the slot free. The answer's end waits for the
 * release (one round trip) only for such keys.
 */
export function holdEndUntilReleased(res: ServerResponse, lease: Lease | null): void {
  if (!lease?.parallel) return;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let held = false;
  res.end = ((...args: unknown[]) => {
    if (held) return res;
    held = true;
    void releaseNow(lease).finally(() => end(...args));
    return res;
  }) as ServerResponse["end"];
}

async function releaseNow(lease: Lease): Promise<void> {
  lease.released = true;
  try {
    if (lease.inRedis) await redisLimiter()?.release(lease.keyId, lease.id);
    if (lease.inPostgres)
      await admissionPool().query({
        name: "gateway-release-one",
        text: "UPDATE gateway_leases SET inflight = false WHERE id = $1",
        values: [lease.id],
      });
  } catch (error) {
    logger.warn("gateway lease release failed (leases expire on their own)", { error });
  }
}
