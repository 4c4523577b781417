import "server-only";
import { db } from "@/lib/db/client";

export type RateLimitRule = { limit: number; windowSeconds: number; blockSeconds: number };

export const SIGN_IN_RULES = {
  account: { limit: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  ip: { limit: 30, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

/** Seconds until `key` may try again, or 0 when it is not blocked. */
export async function blockedFor(key: string): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key }, select: { blockedUntil: true } });
  if (!row?.blockedUntil) return 0;
  const ms = row.blockedUntil.getTime() - Date.now();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/**
 * Counts one failure for `key` in a fixed window, atomically in one statement so concurrent
 * attempts on several instances cannot slip past the limit. Returns seconds blocked (0 if not).
 */
export async function recordFailure(key: string, rule: RateLimitRule): Promise<number> {
  const rows = await db.$queryRaw<{ blocked_until: Date | null }[]>`
    INSERT INTO rate_limits (key, count, window_start, blocked_until)
    VALUES (${key}, 1, now(), NULL)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${rule.windowSeconds})
                   THEN 1 ELSE rate_limits.count + 1 END,
      window_start = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${rule.windowSeconds})
                   THEN now() ELSE rate_limits.window_start END,
      blocked_until = CASE
        WHEN rate_limits.window_start >= now() - make_interval(secs => ${rule.windowSeconds})
             AND rate_limits.count + 1 >= ${rule.limit}
        THEN now() + make_interval(secs => ${rule.blockSeconds})
        ELSE rate_limits.blocked_until END
    RETURNING blocked_until`;
  const until = rows[0]?.blocked_until;
  const ms = until ? until.getTime() - Date.now() : 0;
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export async function clearFailures(key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
