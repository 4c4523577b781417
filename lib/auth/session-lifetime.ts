// How long a session lives: an idle limit (the cookie's and JWT's maxAge, renewed by
// /api/auth/session) and an absolute one from sign-in that no renewal extends.
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

const DEFAULT_ABSOLUTE_HOURS = 12;

/** SESSION_ABSOLUTE_LIFETIME_HOURS (default 12): a session ends this long after sign-in, active or not. */
export function sessionAbsoluteLifetimeSeconds(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const hours = Number(env.SESSION_ABSOLUTE_LIFETIME_HOURS);
  // A typo must not make sessions immortal (NaN) or instant (0): fall back to the default.
  return Math.round((Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_ABSOLUTE_HOURS) * 60 * 60);
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The claims every session token must carry since sign-out became server-side. */
export function sessionClaimsValid(claims: { sid?: unknown; authTime?: unknown }, now = nowSeconds()): boolean {
  if (typeof claims.sid !== "string" || !UUID.test(claims.sid)) return false;
  if (typeof claims.authTime !== "number" || !Number.isFinite(claims.authTime) || claims.authTime > now + 60)
    return false;
  return now - claims.authTime < sessionAbsoluteLifetimeSeconds();
}
