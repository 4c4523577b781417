import "server-only";
import type { Redis } from "ioredis";
import { sharedRedis } from "@/lib/gateway/redis-limits";

// Route target cooldowns in Redis when REDIS_URL is set: the same rules as gateway_target_claim and
// gateway_target_result in PostgreSQL (migration 20261202050500), as Lua scripts on Redis's clock,
// so a claim and a result are each atomic across every instance. One hash holds every target that
// has ever failed (field = target key, value = JSON), so an instance's snapshot is one call; an
// opening is published on CHANNEL with the new state, which subscribers apply without a read.

export const COOLDOWN_HASH = "pc:gw:{cooldowns}";
export const COOLDOWN_CHANNEL = "pc:gw:cooldown-opened";

// f failures in a row, o open until, p probe until (ms since the epoch, 0 for none), e last error
// class, u updated at, pr / m provider and model ids.
export type StoredCooldown = { f: number; o: number; p: number; e: string; u: number; pr: string; m: string };

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// 'ok' (closed), 'probe' (its cooldown is over and this caller won the one half-open probe), or
// 'skip' (cooling down, or another caller is probing it).
const CLAIM = `${NOW}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 'ok' end
local c = cjson.decode(v)
if c.o == 0 then return 'ok' end
if c.o > now then return 'skip' end
if c.p > now then return 'skip' end
c.p = now + tonumber(ARGV[2])
c.u = now
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(c))
return 'probe'
`;

// ARGV: target key, ok (1/0), threshold, cooldown ms, error class, provider id, model id.
// Success closes the target; a failure counts, and at the threshold, or when a half-open probe
// fails, the target opens for the cooldown and every instance is told.
const RESULT = `${NOW}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  if v then
    local c = cjson.decode(v)
    if c.f > 0 or c.o ~= 0 then
      c.f, c.o, c.p, c.u = 0, 0, 0, now
      redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(c))
    end
  end
  return {0, 0}
end
local c
if v then c = cjson.decode(v) else c = {f = 0, o = 0, p = 0, e = '', u = now, pr = ARGV[6], m = ARGV[7]} end
local was_probe = c.o ~= 0 and c.o <= now
c.f = c.f + 1
if was_probe or (c.o == 0 and c.f >= tonumber(ARGV[3])) then
  c.o = now + tonumber(ARGV[4])
  c.p = 0
  redis.call('PUBLISH', KEYS[2], cjson.encode({k = ARGV[1], f = c.f, o = c.o}))
end
c.e, c.u = ARGV[5], now
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(c))
return {c.f, c.o}
`;

// The targets an instance must ask about (failing or cooling down), as {key, failures, open until}.
// Entries untouched for a week with no cooldown running are dropped here: targets of deleted routes
// or models would otherwise stay in every snapshot for good.
const ACTIVE = `${NOW}
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local c = cjson.decode(all[i + 1])
  if c.o < now and now - c.u > tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], all[i])
  elseif c.f > 0 or c.o ~= 0 then
    table.insert(out, all[i])
    table.insert(out, c.f)
    table.insert(out, c.o)
  end
end
return out
`;
const PRUNE_IDLE_MS = 7 * 24 * 3600 * 1000;

export type CooldownRedis = Redis & {
  gatewayTargetClaim(hash: string, key: string, probeMs: number): Promise<string>;
  gatewayTargetResult(hash: string, channel: string, ...args: (string | number)[]): Promise<[number, number]>;
  gatewayTargetsActive(hash: string, idleMs: number): Promise<(string | number)[]>;
};

const withCommands = new WeakSet<Redis>();

/** The shared connection with the cooldown scripts defined, or null without REDIS_URL. */
export function cooldownRedis(): CooldownRedis | null {
  const redis = sharedRedis();
  if (!redis) return null;
  if (!withCommands.has(redis)) {
    redis.defineCommand("gatewayTargetClaim", { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand("gatewayTargetResult", { numberOfKeys: 2, lua: RESULT });
    redis.defineCommand("gatewayTargetsActive", { numberOfKeys: 1, lua: ACTIVE });
    withCommands.add(redis);
  }
  return redis as CooldownRedis;
}

export async function claimInRedis(redis: CooldownRedis, key: string, probeMs: number) {
  return (await redis.gatewayTargetClaim(COOLDOWN_HASH, key, probeMs)) as "ok" | "probe" | "skip";
}

export async function resultInRedis(
  redis: CooldownRedis,
  key: string,
  ids: { providerId: string; modelId: string },
  ok: boolean,
  settings: { failures: number; cooldownSeconds: number },
  errorClass: string | null,
): Promise<{ failures: number; openUntil: number | null }> {
  const [failures, openUntil] = await redis.gatewayTargetResult(
    COOLDOWN_HASH,
    COOLDOWN_CHANNEL,
    key,
    ok ? 1 : 0,
    settings.failures,
    settings.cooldownSeconds * 1000,
    errorClass ?? "",
    ids.providerId,
    ids.modelId,
  );
  return { failures: Number(failures), openUntil: Number(openUntil) || null };
}

/** The failing or cooling-down targets, for an instance's snapshot. */
export async function activeInRedis(
  redis: CooldownRedis,
): Promise<Map<string, { failures: number; openUntil: number | null }>> {
  const flat = await redis.gatewayTargetsActive(COOLDOWN_HASH, PRUNE_IDLE_MS);
  const states = new Map<string, { failures: number; openUntil: number | null }>();
  for (let i = 0; i + 2 < flat.length; i += 3)
    states.set(String(flat[i]), { failures: Number(flat[i + 1]), openUntil: Number(flat[i + 2]) || null });
  return states;
}

/** Every stored target (healthy ones included, as the console shows their last error). */
export async function readAllInRedis(redis: Redis, keys?: readonly string[]): Promise<Map<string, StoredCooldown>> {
  const entries: [string, string | null][] = keys
    ? keys.length === 0
      ? []
      : (await redis.hmget(COOLDOWN_HASH, ...keys)).map((value, i) => [keys[i]!, value])
    : Object.entries(await redis.hgetall(COOLDOWN_HASH));
  const states = new Map<string, StoredCooldown>();
  for (const [key, value] of entries) if (value) states.set(key, JSON.parse(value) as StoredCooldown);
  return states;
}
