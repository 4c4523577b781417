import "server-only";
import { Redis } from "ioredis";
import type { GatewayKeyRecord } from "@/lib/gateway/key-cache";
import { logger } from "@/lib/log/logger";

// The per-key limits in Redis when REDIS_URL is set: the same sliding window as gateway_claim in
// PostgreSQL (this minute plus the previous one, weighted by how much of it is still in the last
// 60 s), and parallel requests as a sorted set of lease ids scored by their expiry. One script,
// atomic in Redis, on Redis's clock, so every instance counts against the same numbers.

const ADMIT = `
local w, p = KEYS[1], KEYS[2]
local rpm, tpm, par = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, lease, ttl = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minute = now - (now % 60000)
local s = redis.call('HMGET', w, 'start', 'req', 'preq', 'tok', 'ptok')
local start, req, preq, tok, ptok = tonumber(s[1]) or minute, tonumber(s[2]) or 0, tonumber(s[3]) or 0, tonumber(s[4]) or 0, tonumber(s[5]) or 0
if start < minute then
  if start == minute - 60000 then preq, ptok = req, tok else preq, ptok = 0, 0 end
  req, tok, start = 0, 0, minute
end
local elapsed = (now - minute) / 60000
local function retry(prev, excess)
  local ms
  if prev > 0 and excess <= prev * (1 - elapsed) then ms = excess / prev * 60000 else ms = (1 - elapsed) * 60000 + 1000 end
  return math.min(120000, math.max(1000, math.ceil(ms)))
end
if rpm >= 0 and preq * (1 - elapsed) + req + 1 > rpm then
  return {'rpm', retry(preq, preq * (1 - elapsed) + req + 1 - rpm)}
end
if tpm >= 0 and ptok * (1 - elapsed) + tok >= tpm then
  return {'tpm', retry(ptok, ptok * (1 - elapsed) + tok - tpm + 1)}
end
if par >= 0 then
  redis.call('ZREMRANGEBYSCORE', p, '-inf', now)
  if redis.call('ZCARD', p) >= par then return {'parallel', 1000} end
  redis.call('ZADD', p, now + ttl, lease)
  redis.call('PEXPIRE', p, ttl)
end
redis.call('HSET', w, 'start', start, 'req', req + 1, 'preq', preq, 'tok', tok + tokens, 'ptok', ptok)
redis.call('PEXPIRE', w, 180000)
return {'', 0}
`;

// Tokens counted after the answer (output, and the prompt's real count against its estimate).
const ADD_TOKENS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minute = now - (now % 60000)
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '0')
if start == minute then redis.call('HINCRBY', KEYS[1], 'tok', ARGV[1]) end
return 0
`;

type LimiterRedis = Redis & {
  gatewayAdmit(w: string, p: string, ...args: (string | number)[]): Promise<[string, number]>;
  gatewayAddTokens(w: string, delta: number): Promise<number>;
};

export type RedisLimiter = {
  admit(
    key: GatewayKeyRecord,
    leaseId: string,
    tokens: number,
    ttlMs: number,
  ): Promise<{ reason: string; retryAfterMs: number } | null>;
  release(keyId: string, leaseId: string): Promise<void>;
  addTokens(keyId: string, delta: number): Promise<void>;
  close(): Promise<void>;
};

const windowKey = (keyId: string) => `pc:gw:{${keyId}}:w`;
const parallelKey = (keyId: string) => `pc:gw:{${keyId}}:p`;

let limiter: RedisLimiter | null | undefined;
let shared: { url: string; redis: Redis } | undefined;

/**
 * The process's one Redis command connection for REDIS_URL (the limiter's, shared by the route
 * cooldowns), or null without REDIS_URL. Read per call: the console may see REDIS_URL set later.
 */
export function sharedRedis(): Redis | null {
  const url = process.env.REDIS_URL;
  if (!url) return null;
  if (shared?.url === url) return shared.redis;
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true, lazyConnect: false });
  redis.on("error", (error) => logger.warn("redis error", { error }));
  shared = { url, redis };
  return redis;
}

export function redisLimiter(): RedisLimiter | null {
  if (limiter !== undefined) return limiter;
  const client = sharedRedis();
  if (!client) return (limiter = null);
  const redis = client as LimiterRedis;
  redis.defineCommand("gatewayAdmit", { numberOfKeys: 2, lua: ADMIT });
  redis.defineCommand("gatewayAddTokens", { numberOfKeys: 1, lua: ADD_TOKENS });
  limiter = {
    async admit(key, leaseId, tokens, ttlMs) {
      const [reason, retry] = await redis.gatewayAdmit(
        windowKey(key.limitsId),
        parallelKey(key.limitsId),
        key.rpmLimit ?? -1,
        key.tpmLimit ?? -1,
        key.maxParallel ?? -1,
        tokens,
        leaseId,
        ttlMs,
      );
      return reason ? { reason, retryAfterMs: Number(retry) } : null;
    },
    async release(keyId, leaseId) {
      await redis.zrem(parallelKey(keyId), leaseId).catch(() => undefined);
    },
    async addTokens(keyId, delta) {
      if (delta !== 0) await redis.gatewayAddTokens(windowKey(keyId), delta).catch(() => undefined);
    },
    async close() {
      await closeSharedRedis();
    },
  };
  return limiter;
}

/** Quits the shared connection; like before it was shared, later commands on it fail rather than reconnect. */
export async function closeSharedRedis(): Promise<void> {
  await shared?.redis.quit().catch(() => undefined);
}
