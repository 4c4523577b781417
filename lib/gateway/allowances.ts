import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { admissionPool } from "@/lib/gateway/admission-pool";
import { logger } from "@/lib/log/logger";

// Per-instance slices of the deployment-wide limits (gateway_claim, migration
// 20261202130000_gateway_allowances). A request that finds room in what this instance already holds
// is admitted with no I/O; otherwise one call claims a slice for it and for the requests queued
// behind it, sized by this instance's recent demand and capped in SQL at a tenth of what is left, so
// the shared store sees one call per slice instead of one per request, and an instance never strands
// more than a tenth of the remainder. The deployment's limits hold exactly as with per-request
// admission: grants never pass a limit except by the one request that asked, as before.

const Decimal = Prisma.Decimal;
type Decimal = Prisma.Decimal;
const ZERO = new Decimal(0);

/** A holding's row outlives a dead instance by this much; a live one renews it. */
const HOLDING_TTL_MS = Number(process.env.GATEWAY_HOLDING_TTL_MS ?? 60_000);
const RENEW_MS = Math.max(1_000, Math.floor(HOLDING_TTL_MS / 6));
/** An unused holding is handed back after this long (checked every SWEEP_MS). */
const IDLE_MS = Number(process.env.GATEWAY_HOLDING_IDLE_MS ?? 1_000);
const SWEEP_MS = 500;
/** A reservation no record ever settled (a bug, or a request that never finished) stops counting. */
const STALE_RESERVATION_MS = Number(process.env.GATEWAY_REQUEST_TIMEOUT_MS ?? 600_000) + 60_000;
/** Demand is measured over the last one or two of these. */
const DEMAND_MS = 100;

/** Sum of what was added in the current and the previous DEMAND_MS interval. */
class Demand {
  private slot = 0;
  private current = 0;
  private previous = 0;
  add(value: number): void {
    this.roll();
    this.current += value;
  }
  value(): number {
    this.roll();
    return this.current + this.previous;
  }
  private roll(): void {
    const slot = Math.floor(Date.now() / DEMAND_MS);
    if (slot === this.slot) return;
    this.previous = slot === this.slot + 1 ? this.current : 0;
    this.current = 0;
    this.slot = slot;
  }
}

/** One key's requests and tokens for the minute its window row is in (PostgreSQL's clock). */
type KeyWindow = {
  windowStart: number;
  requests: number;
  tokens: number;
  demandRequests: Demand;
  demandTokens: Demand;
};

/** This instance's holding for one key, budget scope set and month: one gateway_leases row. */
export type Holding = {
  id: string;
  keyId: string;
  scopes: string[];
  limits: string[];
  month: string;
  parallel: number | null;
  slotsHeld: number;
  slotsInUse: number;
  /** Budget reserved in the row (what was granted less the costs settled against it). */
  amount: Decimal;
  /** Reserved by admitted requests whose record is not written yet. */
  pending: Set<Take>;
  pendingSum: Decimal;
  demandAmount: Demand;
  claiming: Promise<void> | null;
  waiting: { requests: number; tokens: number; slots: number; amount: Decimal };
  lastActive: number;
  renewedAt: number;
};

export type Need = {
  keyId: string;
  month: string;
  scopes: { scope: string; limit: string }[];
  /** null: the key has no such limit here (or Redis counts it). */
  rpm: number | null;
  tpm: number | null;
  parallel: number | null;
  tokens: number;
  /** The request's maximum cost, reserved until its record settles it; zero without budgets. */
  amount: Decimal;
};

/** What one admitted request took, given back by releaseSlot and settle. */
export type Take = {
  holding: Holding;
  slot: boolean;
  amount: Decimal;
  at: number;
  slotReleased?: boolean;
  settled?: boolean;
};

export type Refused = { reason: string; retryAfterMs: number };

const windows = new Map<string, KeyWindow>();
const holdings = new Map<string, Holding>();
let timer: NodeJS.Timeout | undefined;
let claims = 0;

export function allowanceStats() {
  return { claims, holdings: holdings.size };
}

function windowOf(keyId: string): KeyWindow {
  let window = windows.get(keyId);
  if (!window) {
    window = { windowStart: 0, requests: 0, tokens: 0, demandRequests: new Demand(), demandTokens: new Demand() };
    windows.set(keyId, window);
  }
  // A minute's allowance is counted in that minute's window row: never used in the next minute (a
  // margin for the two clocks).
  if (window.windowStart + 60_000 - 50 <= Date.now()) {
    window.requests = 0;
    window.tokens = 0;
  }
  return window;
}

function holdingOf(need: Need): Holding {
  const name = `${need.keyId}|${need.month}|${need.scopes.map((s) => s.scope).join(",")}`;
  let holding = holdings.get(name);
  if (!holding) {
    holding = {
      id: randomUUID(),
      keyId: need.keyId,
      scopes: need.scopes.map((s) => s.scope),
      limits: need.scopes.map((s) => s.limit),
      month: need.month,
      parallel: need.parallel,
      slotsHeld: 0,
      slotsInUse: 0,
      amount: ZERO,
      pending: new Set(),
      pendingSum: ZERO,
      demandAmount: new Demand(),
      claiming: null,
      waiting: { requests: 0, tokens: 0, slots: 0, amount: ZERO },
      lastActive: Date.now(),
      renewedAt: Date.now(),
    };
    holdings.set(name, holding);
    startRenewal();
  }
  // Limits edited in the console reach the next claim.
  holding.limits = need.scopes.map((s) => s.limit);
  holding.parallel = need.parallel;
  return holding;
}

/** Parallel slots an instance keeps idle rather than handing back at once (none for small limits). */
const spareSlots = (parallel: number) => Math.floor(parallel / 10);

function missing(need: Need, window: KeyWindow, holding: Holding) {
  return {
    requests: need.rpm !== null && window.requests < 1,
    tokens: need.tpm !== null && window.tokens < need.tokens,
    slot: need.parallel !== null && holding.slotsInUse >= holding.slotsHeld,
    amount: need.amount.gt(0) && holding.amount.minus(holding.pendingSum).lt(need.amount),
  };
}

const covered = (gap: ReturnType<typeof missing>) => !gap.requests && !gap.tokens && !gap.slot && !gap.amount;

function take(need: Need, window: KeyWindow, holding: Holding): Take {
  if (need.rpm !== null) window.requests -= 1;
  if (need.tpm !== null) window.tokens -= need.tokens;
  window.demandRequests.add(1);
  window.demandTokens.add(need.tokens);
  holding.demandAmount.add(need.amount.toNumber());
  const taken: Take = { holding, slot: need.parallel !== null, amount: need.amount, at: Date.now() };
  if (taken.slot) holding.slotsInUse += 1;
  if (need.amount.gt(0)) {
    holding.pending.add(taken);
    holding.pendingSum = holding.pendingSum.plus(need.amount);
  }
  holding.lastActive = Date.now();
  return taken;
}

type ClaimRow = {
  reason: string | null;
  retry_after_ms: number;
  window_start: Date | null;
  requests: number;
  tokens: number;
  slots: number;
  amount: string;
};

async function claim(need: Need, window: KeyWindow, holding: Holding): Promise<Refused | null> {
  const gap = missing(need, window, holding);
  const wait = holding.waiting;
  const demandAmount = new Decimal(holding.demandAmount.value().toFixed(10));
  claims += 1;
  const { rows } = await admissionPool().query<ClaimRow>({
    name: "gateway-claim",
    text: `SELECT reason, retry_after_ms, window_start, requests, tokens, slots, amount::text
             FROM gateway_claim($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    values: [
      holding.id,
      need.keyId,
      need.month,
      holding.scopes,
      holding.limits,
      gap.amount ? need.amount.toString() : "0",
      gap.amount ? need.amount.plus(wait.amount).plus(demandAmount).toString() : "0",
      need.rpm,
      gap.requests ? 1 + wait.requests + window.demandRequests.value() : 0,
      need.tpm,
      gap.tokens ? need.tokens : 0,
      gap.tokens ? need.tokens + wait.tokens + window.demandTokens.value() : 0,
      need.parallel,
      gap.slot ? 1 + wait.slots + Math.min(spareSlots(need.parallel ?? 0), holding.slotsInUse) : 0,
      HOLDING_TTL_MS,
    ],
  });
  const row = rows[0];
  if (!row) throw new Error("gateway_claim returned no row");
  if (row.reason) return { reason: row.reason, retryAfterMs: row.retry_after_ms };
  if (row.window_start) {
    const start = row.window_start.getTime();
    if (start !== window.windowStart) {
      window.windowStart = start;
      window.requests = 0;
      window.tokens = 0;
    }
  }
  window.requests += row.requests;
  window.tokens += row.tokens;
  holding.slotsHeld += row.slots;
  holding.amount = holding.amount.plus(row.amount);
  holding.renewedAt = Date.now();
  return null;
}

/** Admits one request against this instance's holdings, claiming a slice when they fall short. */
export async function takeAllowance(need: Need): Promise<Take | Refused> {
  for (let ownClaims = 0; ;) {
    const window = windowOf(need.keyId);
    const holding = holdingOf(need);
    const gap = missing(need, window, holding);
    if (covered(gap)) return take(need, window, holding);
    if (holding.claiming) {
      // Queue behind the claim in flight; the next one asks for these requests too.
      const wait = holding.waiting;
      wait.requests += 1;
      wait.tokens += need.tokens;
      wait.slots += need.parallel !== null ? 1 : 0;
      wait.amount = wait.amount.plus(need.amount);
      await holding.claiming.catch(() => undefined);
      wait.requests -= 1;
      wait.tokens -= need.tokens;
      wait.slots -= need.parallel !== null ? 1 : 0;
      wait.amount = wait.amount.minus(need.amount);
      continue;
    }
    // A grant always covers the request that asked; a second round only follows a minute boundary.
    ownClaims += 1;
    if (ownClaims > 3) throw new Error("gateway allowance: a claim's grant did not cover its request");
    const attempt = claim(need, window, holding).then((refused): Take | Refused | null => {
      if (refused) return refused;
      // Taken in the same turn the grant lands, before any request queued behind the claim, and
      // from the window the grant was counted in: windowOf's end-of-minute margin (leftovers are
      // not carried into the next minute) must not void the grant of the request that asked, or
      // every limited request in a minute's last 50 ms claimed three times and failed (a 500).
      const gapNow = missing(need, window, holding);
      return covered(gapNow) ? take(need, window, holding) : null;
    });
    const claiming = attempt.then(() => undefined);
    holding.claiming = claiming;
    let outcome: Take | Refused | null;
    try {
      outcome = await attempt;
    } finally {
      if (holding.claiming === claiming) holding.claiming = null;
    }
    if (outcome) return outcome;
  }
}

/**
 * Gives the request's parallel slot back. Slots beyond the spare an instance may keep go back to
 * the shared row (one round trip, awaited by the answer's end so the next request on any instance
 * finds the slot free); otherwise nothing is written.
 */
export function releaseSlot(taken: Take | null): Promise<void> | null {
  if (!taken?.slot || taken.slotReleased) return null;
  taken.slotReleased = true;
  const holding = taken.holding;
  holding.slotsInUse -= 1;
  holding.lastActive = Date.now();
  const excess = holding.slotsHeld - holding.slotsInUse - spareSlots(holding.parallel ?? 0);
  if (excess <= 0) return null;
  holding.slotsHeld -= excess;
  return admissionPool()
    .query({
      name: "gateway-slots-release",
      text: "UPDATE gateway_leases SET slots = greatest(0, slots - $2) WHERE id = $1",
      values: [holding.id, excess],
    })
    .then(() => undefined)
    .catch((error: unknown) => logger.warn("gateway slot release failed (the holding expires on its own)", { error }));
}

/** The usage writer's SQL (same transaction as the spend counters): each record's cost off its holding. */
export const SETTLE_HOLDINGS_SQL = `
WITH c AS (
  SELECT d.lease_id, d.request_id, coalesce(u.cost, 0) AS cost
    FROM unnest($1::uuid[], $2::text[]) AS d(lease_id, request_id)
    JOIN usage_records u ON u.source = 'GATEWAY' AND u.client_record_id = d.request_id
), s AS (
  UPDATE gateway_leases l SET amount = greatest(0, l.amount - t.cost)
    FROM (SELECT lease_id, sum(cost) AS cost FROM c GROUP BY lease_id) t
   WHERE l.id = t.lease_id
)
SELECT request_id, cost::text FROM c`;

/** After the record's transaction committed: its reservation becomes its real cost here too. */
export function settle(taken: Take | null, cost: string | undefined): void {
  if (!taken || taken.settled || taken.amount.isZero()) return;
  taken.settled = true;
  const holding = taken.holding;
  if (!holding.pending.delete(taken)) return;
  holding.pendingSum = holding.pendingSum.minus(taken.amount);
  const remaining = holding.amount.minus(cost ?? "0");
  holding.amount = remaining.isNegative() ? ZERO : remaining;
  holding.lastActive = Date.now();
}

/** Deletes holdings' rows: what they reserved stops counting for every instance. */
function handBack(ids: string[]) {
  return admissionPool().query({
    name: "gateway-holdings-return",
    text: "DELETE FROM gateway_leases WHERE id = ANY($1::uuid[])",
    values: [ids],
  });
}

async function renew(): Promise<void> {
  const now = Date.now();
  const idle: Holding[] = [];
  const live: Holding[] = [];
  for (const [name, holding] of holdings) {
    for (const taken of holding.pending) if (now - taken.at > STALE_RESERVATION_MS) settle(taken, "0");
    if (
      holding.slotsInUse === 0 &&
      holding.pending.size === 0 &&
      !holding.claiming &&
      now - holding.lastActive > IDLE_MS
    ) {
      holdings.delete(name);
      idle.push(holding);
    } else live.push(holding);
  }
  for (const [keyId, window] of windows) if (window.windowStart + 120_000 < now) windows.delete(keyId);
  if (idle.length > 0) await handBack(idle.map((holding) => holding.id));
  const due = live.filter((holding) => now - holding.renewedAt >= RENEW_MS);
  if (due.length > 0) {
    await admissionPool().query({
      name: "gateway-holdings-renew",
      text: "UPDATE gateway_leases SET expires_at = now() + make_interval(secs => $2 / 1000.0) WHERE id = ANY($1::uuid[])",
      values: [due.map((holding) => holding.id), HOLDING_TTL_MS],
    });
    for (const holding of due) holding.renewedAt = now;
  }
}

function startRenewal(): void {
  if (timer) return;
  const tick = () => {
    void renew()
      .catch((error: unknown) => logger.warn("gateway holding renewal failed", { error }))
      .finally(() => {
        if (!timer) return;
        timer = setTimeout(tick, SWEEP_MS);
        timer.unref();
      });
  };
  timer = setTimeout(tick, SWEEP_MS);
  timer.unref();
}

/** Graceful shutdown, after the usage writer: hand every holding back. */
export async function returnAllowances(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const ids = [...holdings.values()].map((holding) => holding.id);
  holdings.clear();
  windows.clear();
  if (ids.length === 0) return;
  await handBack(ids);
}
