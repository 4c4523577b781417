import "server-only";
import type { Redis } from "ioredis";
import { Client } from "pg";
import { pool } from "@/lib/db/client";
import {
  activeInRedis,
  claimInRedis,
  COOLDOWN_CHANNEL,
  cooldownRedis,
  resultInRedis,
} from "@/lib/gateway/cooldown-redis";
import { logger } from "@/lib/log/logger";

// Route target health shared by every instance: in Redis when REDIS_URL is set (cooldown-redis.ts),
// else in PostgreSQL (target_cooldowns, functions in migration 20261202050500); the same rules in
// both. A healthy target costs no round trip: each instance keeps a snapshot of the targets that
// have failed, refreshed every GATEWAY_COOLDOWN_REFRESH_MS (250 ms) and at once when any instance
// opens a cooldown (Redis pub/sub, or LISTEN gateway_cooldown). A target with failures goes through
// the store's claim, which lets exactly one caller across the deployment probe it once its
// cooldown is over (half-open), and skips it for everyone else.

type TargetState = { failures: number; openUntil: number | null };

const snapshot = new Map<string, TargetState>();
let timer: NodeJS.Timeout | undefined;
let listener: Client | undefined;
let subscriber: Redis | undefined;

export const targetKey = (providerId: string, modelId: string) => `${providerId}:${modelId}`;

// Openings pushed to this instance, with when they arrived: a refresh whose read began before one
// arrived must not drop it from the snapshot.
const pushed = new Map<string, { state: TargetState; at: number }>();

async function refresh(): Promise<void> {
  const started = performance.now();
  const redis = cooldownRedis();
  let states: Map<string, TargetState>;
  if (redis) states = await activeInRedis(redis);
  else {
    const { rows } = await pool.query<{ target_key: string; failures: number; open_until: Date | null }>({
      name: "gateway-cooldowns",
      text: "SELECT target_key, failures, open_until FROM target_cooldowns WHERE failures > 0 OR open_until IS NOT NULL",
    });
    states = new Map(
      rows.map((row) => [row.target_key, { failures: row.failures, openUntil: row.open_until?.getTime() ?? null }]),
    );
  }
  snapshot.clear();
  for (const [key, state] of states) snapshot.set(key, state);
  for (const [key, push] of pushed) {
    if (push.at >= started) snapshot.set(key, push.state);
    else pushed.delete(key);
  }
}

export type Claim = "ok" | "probe" | "skip";

/** Whether this request may try the target now. */
export async function claimTarget(key: string, probeMs: number): Promise<Claim> {
  const state = snapshot.get(key);
  if (!state) return "ok";
  // Still cooling down by this instance's own clock: skip without asking.
  if (state.openUntil !== null && state.openUntil > Date.now() + 50) return "skip";
  const probe = Math.max(1000, Math.round(probeMs));
  try {
    const redis = cooldownRedis();
    if (redis) return await claimInRedis(redis, key, probe);
    const { rows } = await pool.query<{ claim: Claim }>({
      name: "gateway-target-claim",
      text: "SELECT gateway_target_claim($1, $2) AS claim",
      values: [key, probe],
    });
    return rows[0]?.claim ?? "ok";
  } catch (error) {
    // The store being unreachable must not fail the request: try the target, as without cooldowns.
    logger.warn("gateway: a target's cooldown claim failed; trying it", { error });
    return "ok";
  }
}

/** An attempt's result; healthy targets that succeed write nothing. */
export async function reportTarget(
  key: string,
  ids: { providerId: string; modelId: string },
  ok: boolean,
  settings: { failures: number; cooldownSeconds: number },
  errorClass: string | null,
): Promise<void> {
  if (ok && !snapshot.has(key)) return;
  const redis = cooldownRedis();
  let state: TargetState;
  if (redis) state = await resultInRedis(redis, key, ids, ok, settings, errorClass);
  else {
    const { rows } = await pool.query<{ failures: number; open_until: Date | null }>({
      name: "gateway-target-result",
      text: "SELECT failures, open_until FROM gateway_target_result($1, $2, $3, $4, $5, $6, $7)",
      values: [key, ids.providerId, ids.modelId, ok, settings.failures, settings.cooldownSeconds * 1000, errorClass],
    });
    state = { failures: rows[0]?.failures ?? 0, openUntil: rows[0]?.open_until?.getTime() ?? null };
  }
  if (state.failures === 0 && state.openUntil === null) snapshot.delete(key);
  else snapshot.set(key, state);
}

function listenInRedis(redis: Redis): void {
  subscriber = redis.duplicate();
  subscriber.on("error", (error) => logger.warn("gateway cooldown subscriber error", { error }));
  subscriber.on("message", (_channel: string, message: string) => {
    // The opening itself, applied before any read: the next request here already skips the target.
    try {
      const opened = JSON.parse(message) as { k: string; f: number; o: number };
      const state = { failures: opened.f, openUntil: opened.o };
      snapshot.set(opened.k, state);
      pushed.set(opened.k, { state, at: performance.now() });
    } catch {
      void refresh().catch(() => undefined);
    }
  });
  subscriber
    .subscribe(COOLDOWN_CHANNEL)
    .catch((error: unknown) => logger.warn("gateway cooldown subscriber could not start (polling only)", { error }));
}

function listenInPostgres(): void {
  if (!process.env.DATABASE_URL) return;
  listener = new Client({ connectionString: process.env.DATABASE_URL });
  listener.on("error", (error) => logger.warn("gateway cooldown listener error", { error }));
  listener.on("notification", () => void refresh().catch(() => undefined));
  listener
    .connect()
    .then(() => listener?.query("LISTEN gateway_cooldown"))
    .catch((error: unknown) => logger.warn("gateway cooldown listener could not start (polling only)", { error }));
}

export function startCooldownRefresh(intervalMs = Number(process.env.GATEWAY_COOLDOWN_REFRESH_MS ?? 250)): void {
  if (timer) return;
  const tick = () =>
    void refresh()
      .catch((error: unknown) => logger.warn("gateway cooldown refresh failed", { error }))
      .finally(() => {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  tick();
  const redis = cooldownRedis();
  if (redis) listenInRedis(redis);
  else listenInPostgres();
}

export async function stopCooldownRefresh(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  await listener?.end().catch(() => undefined);
  listener = undefined;
  await subscriber?.quit().catch(() => undefined);
  subscriber = undefined;
}
