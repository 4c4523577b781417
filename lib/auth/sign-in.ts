import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { verifyPassword, dummyPasswordHash } from "@/lib/auth/password";
import { SIGN_IN_RULES, blockedFor, clearFailures, countAttempt, forgiveAttempt } from "@/lib/auth/rate-limit";
import { writeAudit } from "@/lib/audit/write-audit";
import type { RoleName } from "@/lib/auth/roles";
import { limitBucket } from "@/lib/request/forwarding";
import { signInSettings, type SignInSettings } from "@/lib/auth/sso-config";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

export type SignedInUser = { id: string; email: string; name: string; role: RoleName; sessionVersion: number };

export class SignInError extends Error {}

const tooMany = (seconds: number) => new SignInError(`Too many attempts, try again in ${seconds} s.`);

// One answer for every refused password in SSO-only mode, the break-glass account's wrong password
// included: a different one would tell an attacker which email is the break-glass admin.
export const PASSWORD_SIGN_IN_OFF = "Password sign-in is turned off. Use single sign-on.";

/**
 * Checks credentials, throttled per (account, address) pair and per address; throws SignInError
 * with a safe message. There is deliberately no account-wide limit: guesses spread over many
 * addresses are bounded by the per-pair limit and Argon2's cost, and a wrong guess from one
 * address never blocks the right password from another.
 */
export async function signInWithPassword(
  input: unknown,
  ip: string,
  settings: Pick<SignInSettings, "passwordSignIn" | "breakGlassEmail"> = signInSettings(),
): Promise<SignedInUser> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new SignInError("Enter a valid email and password.");
  const { email, password } = parsed.data;
  const bucket = limitBucket(ip);
  const pairKey = `signin:pair:${bucket}|${email}`;
  const ipKey = `signin:ip:${bucket}`;

  const wait = Math.max(await blockedFor(pairKey), await blockedFor(ipKey));
  if (wait > 0) throw tooMany(wait);
  // Counted before the password is checked, so a concurrent burst gets no more checks than the limit.
  const pair = await countAttempt(pairKey, SIGN_IN_RULES.pair);
  const byIp = await countAttempt(ipKey, SIGN_IN_RULES.ip);
  const blocked = Math.max(pair.blockedSeconds, byIp.blockedSeconds);
  if (pair.count > SIGN_IN_RULES.pair.limit || byIp.count > SIGN_IN_RULES.ip.limit) throw tooMany(blocked);

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabled: true, passwordHash: true, sessionVersion: true },
  });
  // A user created by single sign-on has no password: checked against the dummy, never valid.
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  // SSO-only mode: the password is still checked (same time, same throttling) but only the
  // break-glass admin may pass.
  const allowed =
    settings.passwordSignIn || (email === settings.breakGlassEmail && user?.role === "ADMIN" && !!user.passwordHash);

  if (!user || !valid || user.disabled || !allowed) {
    await writeAudit({
      actor: null,
      action: "auth.sign_in_failed",
      targetType: "user",
      targetId: user?.id ?? null,
      details: { email, ip, ...(settings.passwordSignIn ? {} : { reason: "password_sign_in_off" }) },
    });
    if (blocked > 0) throw tooMany(blocked);
    if (!settings.passwordSignIn) throw new SignInError(PASSWORD_SIGN_IN_OFF);
    throw new SignInError(user?.disabled && valid ? "This account is disabled." : "Wrong email or password.");
  }

  await clearFailures(pairKey);
  await forgiveAttempt(ipKey, SIGN_IN_RULES.ip);
  await writeAudit({
    actor: { id: user.id, email: user.email },
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
    details: { ip, method: "password", ...(settings.passwordSignIn ? {} : { breakGlass: true }) },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
