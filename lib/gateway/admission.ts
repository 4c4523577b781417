import "server-only";
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { releaseSlot, takeAllowance, type Take } from "@/lib/gateway/allowances";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Catalog } from "@/lib/gateway/catalog-cache";
import type { GatewayKeyRecord } from "@/lib/gateway/key-cache";
import { logger } from "@/lib/log/logger";
import { redisLimiter } from "@/lib/gateway/redis-limits";

// Whether a gateway request may start: the key's requests and tokens per minute and parallel
// requests, and every hard budget it counts against (key, team, provider, overall). The counts are
// shared by every instance: each instance claims slices of them (lib/gateway/allowances.ts,
// gateway_claim) and admits against what it holds, so most requests cost no round trip. With
// REDIS_URL the per-key limits are counted in Redis per request instead and only budgets are
// claimed from PostgreSQL. Nothing is kept in one process alone.

/** Redis parallel entries outlive a request only when its instance died; then they expire. */
const LEASE_TTL_MS = Number(process.env.GATEWAY_REQUEST_TIMEOUT_MS ?? 600_000) + 60_000;

export type Lease = {
  /** The request's id in Redis's parallel set. */
  id: string;
  keyId: string;
  inRedis: boolean;
  /** The prompt estimate counted against tokens per minute (settled against the real count). */
  promptTokens: number;
  /** Tokens per minute were counted in PostgreSQL's window row. */
  tokensInPostgres: boolean;
  /** What this request took from the instance's holding: a slot, a budget reservation. */
  taken: Take | null;
  /** The key has a parallel limit: the slot must be freed before the answer ends. */
  parallel?: boolean;
  released?: boolean;
};

export type Admission =
  { ok: true; lease: Lease | null } | { ok: false; reason: string; retryAfterMs: number; message: string };

export type AdmissionRequest = {
  key: GatewayKeyRecord;
  /** Every provider the request may call (a route's targets): each one's hard budget counts. */
  providerIds: readonly string[];
  /** Counted only when a limit needs it (the tokenizer is not free on long prompts). */
  promptTokens: () => number;
  /** The request's maximum cost for a prompt size, or null when the model has no price. */
  maxCost: ((promptTokens: number) => Prisma.Decimal) | null;
  catalog: Catalog;
  now?: Date;
};

export type BudgetScope = { scope: string; limit: string };

/** Hard budgets this request counts against, in lock order. */
export function budgetScopes(request: AdmissionRequest): BudgetScope[] {
  const scopes: BudgetScope[] = [];
  const { key, catalog, providerIds } = request;
  if (key.monthlyBudgetUsd !== null) scopes.push({ scope: `key:${key.limitsId}`, limit: key.monthlyBudgetUsd });
  const overall = catalog.hardBudgets.get("overall");
  if (overall !== undefined) scopes.push({ scope: "overall", limit: overall });
  for (const providerId of providerIds.length === 1 ? providerIds : new Set(providerIds)) {
    const provider = catalog.hardBudgets.get(`provider:${providerId}`);
    if (provider !== undefined) scopes.push({ scope: `provider:${providerId}`, limit: provider });
  }
  if (key.teamBudgetUsd !== null) scopes.push({ scope: `team:${key.teamId}`, limit: key.teamBudgetUsd });
  return scopes.sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}

const ZERO = new Prisma.Decimal(0);

// The month a request counts against, worked out once a minute rather than per request (months
// start on a minute boundary, so a minute never spans two).
let monthCache = { minute: -1, month: "" };
function monthOf(now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== monthCache.minute) monthCache = { minute, month: `${now.toISOString().slice(0, 7)}-01` };
  return monthCache.month;
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
  const lease: Lease = {
    id,
    keyId: key.limitsId,
    inRedis,
    promptTokens,
    tokensInPostgres: pgKeyLimits && key.tpmLimit !== null,
    taken: null,
    parallel: key.maxParallel !== null,
  };
  if (scopes.length === 0 && !pgKeyLimits) return { ok: true, lease };
  let outcome: Awaited<ReturnType<typeof takeAllowance>>;
  try {
    outcome = await takeAllowance({
      keyId: key.limitsId,
      month: monthOf(request.now ?? new Date()),
      scopes,
      rpm: pgKeyLimits ? key.rpmLimit : null,
      tpm: pgKeyLimits ? key.tpmLimit : null,
      parallel: pgKeyLimits ? key.maxParallel : null,
      tokens: promptTokens,
      amount: scopes.length > 0 && request.maxCost ? request.maxCost(promptTokens) : ZERO,
    });
  } catch (error) {
    if (inRedis) void redis?.release(key.limitsId, id);
    throw error;
  }
  if ("reason" in outcome) {
    if (inRedis) void redis?.release(key.limitsId, id);
    return { ok: false, ...outcome, message: refusalMessage(outcome.reason) };
  }
  lease.taken = outcome;
  return { ok: true, lease };
}

// A finished request frees its parallel slot at once; its reserved cost stays until the usage
// writer settles it with the record (same transaction), so no moment counts the money twice or not
// at all.
export function release(lease: Lease | null): void {
  if (!lease || lease.released) return;
  lease.released = true;
  if (lease.inRedis) void redisLimiter()?.release(lease.keyId, lease.id);
  void releaseSlot(lease.taken);
}

/**
 * A key with a parallel limit gets its slot back before the caller sees the answer's last byte:
 * its next request, on any instance, must find the slot free. The answer's end waits for the
 * release (one round trip) only when a slot really goes back to the shared store.
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
  if (lease.released) return;
  lease.released = true;
  try {
    if (lease.inRedis) await redisLimiter()?.release(lease.keyId, lease.id);
    await releaseSlot(lease.taken);
  } catch (error) {
    logger.warn("gateway lease release failed (leases expire on their own)", { error });
  }
}
