import "server-only";
import { db } from "@/lib/db/client";

export type RateLimitRule = { limit: number; windowSeconds: number; blockSeconds: number };

// Sign-in limits count per (account, address) pair and per address, never per account alone: a
// count over all addresses is one an attacker elsewhere can fill to lock the real user out.
export const SIGN_IN_RULES = {
  pair: { limit: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  ip: { limit: 30, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

// Single sign-on callbacks, per address: each one may cost a call to the identity provider's token
// endpoint and writes an audit row when refused, so a flood of forged callbacks is bounded. Roomy
// enough for an office behind one address signing in through its IdP all morning.
export const SSO_CALLBACK_RULE: RateLimitRule = { limit: 120, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

// Anonymous first-run setup posts, per address: each one may cost an Argon2 hash.
export const SETUP_RULE: RateLimitRule = { limit: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

/** Seconds until `key` may try again, or 0 when it is not blocked. */
export async function blockedFor(key: string): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key }, select: { blockedUntil: true } });
  if (!row?.blockedUntil) return 0;
  const ms = row.blockedUntil.getTime() - Date.now();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export type CountedAttempt = { count: number; blockedSeconds: number };

/**
 * Counts one attempt for `key` in a fixed window, atomically in one statement so concurrent
 * attempts on several instances cannot slip past the limit. Sign-in counts an attempt BEFORE
 * checking the password: counted afterwards, a burst of concurrent guesses all passed the block
 * check before the first failure was recorded. Returns the attempt's number in the window and
 * the seconds `key` is now blocked (0 if not).
 */
export async function countAttempt(key: string, rule: RateLimitRule): Promise<CountedAttempt> {
  const rows = await db.$queryRaw<{ count: number; blocked_until: Date | null }[]>`
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
    RETURNING count, blocked_until`;
  const until = rows[0]?.blocked_until;
  const ms = until ? until.getTime() - Date.now() : 0;
  return { count: rows[0]?.count ?? 1, blockedSeconds: ms > 0 ? Math.ceil(ms / 1000) : 0 };
}

/** Takes back an attempt that turned out to succeed, lifting a block it alone caused. */
export async function forgiveAttempt(key: string, rule: RateLimitRule): Promise<void> {
  await db.$executeRaw`
    UPDATE rate_limits SET
      count = greatest(count - 1, 0),
      blocked_until = CASE WHEN count - 1 < ${rule.limit} THEN NULL ELSE blocked_until END
    WHERE key = ${key}`;
}

export async function clearFailures(key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
