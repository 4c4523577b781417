import "server-only";
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

// The exact-match cache, opt-in per route: the same request (body normalised: keys sorted,
// stream_options and user left out) from the same gateway key to the same route within the
// route's TTL gets the stored answer, streamed or not (a streamed request is answered from a
// streamed answer, byte for byte). In Redis when REDIS_URL is set, else in PostgreSQL
// (response_cache) with expiry. Bounded: answers over GATEWAY_CACHE_MAX_ENTRY_BYTES are not kept,
// and past GATEWAY_CACHE_MAX_ENTRIES the oldest go first.
//
// An entry never changes while it lives (the first answer stored wins for its whole TTL), so each
// instance also keeps the entries it stored or read in memory until they expire: a repeated hit
// costs no round trip. Bounded by GATEWAY_CACHE_LOCAL_BYTES (default 32 MB), least recently used
// first out.

export const MAX_ENTRY_BYTES = Number(process.env.GATEWAY_CACHE_MAX_ENTRY_BYTES ?? 1_000_000);
const MAX_ENTRIES = Number(process.env.GATEWAY_CACHE_MAX_ENTRIES ?? 10_000);
const LOCAL_MAX_BYTES = Number(process.env.GATEWAY_CACHE_LOCAL_BYTES ?? 32_000_000);

/** Map order is recency order: a hit moves its entry to the end, eviction takes from the front. */
const local = new Map<string, { answer: CachedAnswer; expiresAt: number; bytes: number }>();
let localBytes = 0;

function keepLocally(key: string, answer: CachedAnswer, expiresAt: number): void {
  const bytes = Buffer.byteLength(answer.body);
  if (bytes > LOCAL_MAX_BYTES / 10 || expiresAt <= Date.now()) return;
  dropLocal(key);
  local.set(key, { answer, expiresAt, bytes });
  localBytes += bytes;
  for (const [oldest, entry] of local) {
    if (localBytes <= LOCAL_MAX_BYTES) break;
    local.delete(oldest);
    localBytes -= entry.bytes;
  }
}

function dropLocal(key: string): void {
  const entry = local.get(key);
  if (!entry) return;
  local.delete(key);
  localBytes -= entry.bytes;
}

function localHit(key: string): CachedAnswer | null {
  const entry = local.get(key);
  if (!entry) return null;
  if (entry.expiresAt <= Date.now()) {
    dropLocal(key);
    return null;
  }
  local.delete(key);
  local.set(key, entry);
  return entry.answer;
}

export type CachedAnswer = {
  providerId: string;
  modelId: string;
  streamed: boolean;
  body: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
};

function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === "stream_options" || key === "user") continue;
      out[key] = normalised((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

export function cacheKey(routeId: string, gatewayKeyId: string, body: unknown): string {
  return createHash("sha256")
    .update(`${routeId}\n${gatewayKeyId}\n${JSON.stringify(normalised(body))}`)
    .digest("hex");
}

/** A caller can skip the cache: `Cache-Control: no-cache` / `no-store`, or `x-gateway-cache: bypass`. */
export function bypassRequested(headers: Record<string, string | string[] | undefined>): boolean {
  const control = String(headers["cache-control"] ?? "").toLowerCase();
  return (
    control.includes("no-cache") ||
    control.includes("no-store") ||
    String(headers["x-gateway-cache"] ?? "").toLowerCase() === "bypass"
  );
}

let redis: Redis | null | undefined;
function redisClient(): Redis | null {
  if (redis !== undefined) return redis;
  if (!process.env.REDIS_URL) return (redis = null);
  redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  redis.on("error", (error) => logger.warn("redis (cache) error", { error }));
  return redis;
}

const INDEX = "pc:gwcache:index";
const entryKey = (key: string) => `pc:gwcache:${key}`;

export async function cacheGet(key: string): Promise<CachedAnswer | null> {
  const kept = localHit(key);
  if (kept) return kept;
  const client = redisClient();
  if (client) {
    const [text, ttl] = await Promise.all([client.get(entryKey(key)), client.pttl(entryKey(key))]);
    if (!text) return null;
    const answer = JSON.parse(text) as CachedAnswer;
    if (ttl > 0) keepLocally(key, answer, Date.now() + ttl);
    return answer;
  }
  const { rows } = await pool.query<{
    provider_id: string;
    model_id: string;
    streamed: boolean;
    body: string;
    input_tokens: number;
    cached_input_tokens: number;
    output_tokens: number;
    ttl_ms: number;
  }>({
    name: "gateway-cache-get",
    text: `SELECT provider_id::text, model_id::text, streamed, body, input_tokens, cached_input_tokens, output_tokens,
                  floor(extract(epoch FROM expires_at - now()) * 1000)::int AS ttl_ms
             FROM response_cache WHERE key = $1 AND expires_at > now()`,
    values: [key],
  });
  const row = rows[0];
  if (!row) return null;
  const answer: CachedAnswer = {
    providerId: row.provider_id,
    modelId: row.model_id,
    streamed: row.streamed,
    body: row.body,
    inputTokens: row.input_tokens,
    cachedInputTokens: row.cached_input_tokens,
    outputTokens: row.output_tokens,
  };
  keepLocally(key, answer, Date.now() + row.ttl_ms);
  return answer;
}

let puts = 0;

export async function cachePut(key: string, routeId: string, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
  if (Buffer.byteLength(answer.body) > MAX_ENTRY_BYTES) return;
  const client = redisClient();
  if (client) {
    const now = Date.now();
    // NX: a live entry stays for its whole TTL; a miss answered meanwhile does not replace it.
    const stored = await client.set(entryKey(key), JSON.stringify(answer), "PX", ttlSeconds * 1000, "NX");
    if (stored === "OK") keepLocally(key, answer, Date.now() + ttlSeconds * 1000);
    await client.zadd(INDEX, now, key);
    const excess = (await client.zcard(INDEX)) - MAX_ENTRIES;
    if (excess > 0) {
      const oldest = await client.zpopmin(INDEX, excess);
      const keys = oldest.filter((_, index) => index % 2 === 0).map(entryKey);
      if (keys.length > 0) await client.del(...keys);
    }
    return;
  }
  const written = await pool.query({
    name: "gateway-cache-put",
    text: `INSERT INTO response_cache (key, route_id, provider_id, model_id, streamed, body, size_bytes, input_tokens,
             cached_input_tokens, output_tokens, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11))
           ON CONFLICT (key) DO UPDATE SET body = EXCLUDED.body, size_bytes = EXCLUDED.size_bytes,
             input_tokens = EXCLUDED.input_tokens, cached_input_tokens = EXCLUDED.cached_input_tokens,
             output_tokens = EXCLUDED.output_tokens, created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE response_cache.expires_at <= now()
           RETURNING 1`,
    values: [
      key,
      routeId,
      answer.providerId,
      answer.modelId,
      answer.streamed,
      answer.body,
      Buffer.byteLength(answer.body),
      answer.inputTokens,
      answer.cachedInputTokens,
      answer.outputTokens,
      ttlSeconds,
    ],
  });
  // Kept here only when this answer is the stored one (another instance's may have won).
  if ((written.rowCount ?? 0) > 0) keepLocally(key, answer, Date.now() + ttlSeconds * 1000);
  // Every 100th write trims the table: expired entries, then the oldest beyond the bound.
  puts += 1;
  if (puts % 100 === 0) await pruneResponseCache().catch(() => undefined);
}

export async function pruneResponseCache(): Promise<number> {
  const expired = await pool.query("DELETE FROM response_cache WHERE expires_at <= now()");
  const over = await pool.query(
    `DELETE FROM response_cache WHERE key IN (
       SELECT key FROM response_cache ORDER BY created_at DESC OFFSET $1)`,
    [MAX_ENTRIES],
  );
  return (expired.rowCount ?? 0) + (over.rowCount ?? 0);
}

export async function closeResponseCache(): Promise<void> {
  local.clear();
  localBytes = 0;
  await redis?.quit().catch(() => undefined);
  redis = undefined;
}
