import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { mapRole, claimValues } from "@/lib/auth/sso-role-map";
import type { SignedInUser } from "@/lib/auth/sign-in";
import type { SsoSettings } from "@/lib/auth/sso-config";

export const SSO_REFUSALS = ["unmapped", "email_unverified", "no_email", "disabled", "conflict", "invalid"] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

export type SsoOutcome = { ok: true; user: SignedInUser } | { ok: false; reason: SsoRefusal };

// The ID token was verified by openid-client before this runs; these are the console's own needs.
const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string().min(1).max(255),
  email: z.string().trim().toLowerCase().email().max(254).optional().catch(undefined),
  // Strictly true: a missing or "false" claim never links an existing account.
  email_verified: z.unknown().transform((value) => value === true),
  name: z.string().trim().max(200).optional().catch(undefined),
});

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  sessionVersion: true,
  ssoIssuer: true,
  ssoSubject: true,
} satisfies Prisma.UserSelect;

type Tx = Prisma.TransactionClient;
type Row = Prisma.UserGetPayload<{ select: typeof userSelect }>;

/**
 * Every SSO sign-in: the role comes from the identity provider's claim through the role map, at
 * every sign-in (a change bumps the session version, ending the user's other sessions); the first
 * sign-in creates the account or links the password account with the same verified email. Each
 * outcome is audited; refusals return a reason for the refusal page.
 */
export async function completeSsoSignIn(rawClaims: unknown, sso: SsoSettings): Promise<SsoOutcome> {
  const parsed = claimsSchema.safeParse(rawClaims);
  // openid-client compared iss with the discovered issuer exactly; this pins it to the configured
  // one too, up to a trailing slash (Auth0's issuers end in one, the setting is stored without).
  if (!parsed.success || parsed.data.iss.replace(/\/+$/, "") !== sso.issuer) {
    await refuse(null, "invalid", { subject: parsed.success ? parsed.data.sub : null });
    return { ok: false, reason: "invalid" };
  }
  const claims = parsed.data;
  const role = mapRole((rawClaims as Record<string, unknown>)[sso.roleClaim], sso.roleMap);
  const facts = { email: claims.email ?? null, subject: claims.sub };
  if (!role) {
    const groups = claimValues((rawClaims as Record<string, unknown>)[sso.roleClaim])
      .slice(0, 20)
      .map((group) => group.slice(0, 200));
    // Someone the IdP took out of every mapped group has no role any more: their open sessions end too.
    const ended = await db.user.updateMany({
      where: { ssoIssuer: sso.issuer, ssoSubject: claims.sub },
      data: { sessionVersion: { increment: 1 } },
    });
    await refuse(null, "unmapped", { ...facts, claim: sso.roleClaim, groups, sessionsEnded: ended.count > 0 });
    return { ok: false, reason: "unmapped" };
  }
  try {
    return await db.$transaction((tx) => signInOrCreate(tx, claims, role, sso));
  } catch (error) {
    // Two first sign-ins of one person at once: the loser's insert or link hits the unique index;
    // the winner's row is there now, so the second attempt signs in through it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return db.$transaction((tx) => signInOrCreate(tx, claims, role, sso));
    throw error;
  }
}

async function signInOrCreate(
  tx: Tx,
  claims: z.infer<typeof claimsSchema>,
  role: SignedInUser["role"],
  sso: SsoSettings,
): Promise<SsoOutcome> {
  const facts = { email: claims.email ?? null, subject: claims.sub };
  let user: Row | null = await tx.user.findUnique({
    where: { ssoIssuer_ssoSubject: { ssoIssuer: sso.issuer, ssoSubject: claims.sub } },
    select: userSelect,
  });
  if (!user) {
    const byEmail = claims.email
      ? await tx.user.findUnique({ where: { email: claims.email }, select: userSelect })
      : null;
    // The same identity's row, committed by a concurrent first sign-in between the two reads.
    if (byEmail && byEmail.ssoSubject === claims.sub && byEmail.ssoIssuer === sso.issuer) user = byEmail;
    else if (byEmail) {
      // Linked to another identity already, or an email the IdP does not vouch for: never merged.
      if (byEmail.ssoSubject !== null) return refuse(tx, "conflict", facts, byEmail.id);
      if (!claims.email_verified) return refuse(tx, "email_unverified", facts, byEmail.id);
      if (byEmail.disabled) return refuse(tx, "disabled", facts, byEmail.id);
      user = await tx.user.update({
        where: { id: byEmail.id, ssoSubject: null },
        data: { ssoIssuer: sso.issuer, ssoSubject: claims.sub },
        select: userSelect,
      });
      await audit(tx, user, "auth.sso_linked", { subject: claims.sub, issuer: sso.issuer });
    } else {
      if (!claims.email) return refuse(tx, "no_email", facts);
      user = await tx.user.create({
        data: {
          email: claims.email,
          name: claims.name ?? "",
          role,
          passwordHash: null,
          ssoIssuer: sso.issuer,
          ssoSubject: claims.sub,
        },
        select: userSelect,
      });
      await audit(tx, user, "auth.sso_user_created", { subject: claims.sub, issuer: sso.issuer, role });
    }
  }
  if (user.disabled) return refuse(tx, "disabled", facts, user.id);
  if (user.role !== role) {
    // The IdP decides SSO users' roles: the old role's sessions end at once.
    const from = user.role;
    user = await tx.user.update({
      where: { id: user.id },
      data: { role, sessionVersion: { increment: 1 } },
      select: userSelect,
    });
    await audit(tx, user, "auth.sso_role_changed", { from, to: role, claim: sso.roleClaim });
  }
  await audit(tx, user, "auth.sign_in", { method: "sso" });
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion },
  };
}

function audit(tx: Tx, user: Row, action: string, details: Record<string, unknown>) {
  return writeAudit(
    { actor: { id: user.id, email: user.email }, action, targetType: "user", targetId: user.id, details },
    tx,
  );
}

async function refuse(
  tx: Tx | null,
  reason: SsoRefusal,
  details: Record<string, unknown>,
  userId: string | null = null,
): Promise<SsoOutcome> {
  await writeAudit(
    { actor: null, action: "auth.sso_refused", targetType: "user", targetId: userId, details: { reason, ...details } },
    tx ?? db,
  );
  return { ok: false, reason };
}

// openid-client's and next-auth's refusals of a callback, by what they say, as a short code: their
// messages quote state and nonce values, which do not belong in the audit log.
const CALLBACK_FAILURES: [RegExp, string][] = [
  [/signature/i, "signature"],
  [/expired|\bexp\b|iat|nbf/i, "expired"],
  [/\biss\b|issuer/i, "issuer"],
  [/\baud\b|azp|audience/i, "audience"],
  [/nonce/i, "nonce"],
  [/state/i, "state"],
  [/code_verifier|pkce/i, "pkce"],
  [/invalid_grant|code/i, "code"],
];

/** Audits a callback next-auth refused before the console saw any claims (a token or state check). */
export async function auditRefusedCallback(message: string): Promise<void> {
  // No sign-in was under way in that browser (a bot, a stale or hand-made link): logged, not
  // audited, so anonymous requests cannot fill the audit log.
  if (/cookie was missing/i.test(message)) return;
  // The same for errors that come before any check (an IdP's error=access_denied, which anyone can
  // put in a link): only failed token, state and code checks are audit events.
  const check = CALLBACK_FAILURES.find(([pattern]) => pattern.test(message))?.[1];
  if (!check) return;
  await writeAudit({
    actor: null,
    action: "auth.sso_refused",
    targetType: "user",
    details: { reason: "token", check },
  });
}
