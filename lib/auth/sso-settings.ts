// Parses the single sign-on and password sign-in settings from the environment. Pure (no
// server-only) so the unit tests read it directly; lib/auth/sso-config.ts is the server's one entry.
import { z } from "zod";
import { ROLES, type RoleName } from "@/lib/auth/roles";

export type SsoSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  name: string;
  roleClaim: string;
  roleMap: ReadonlyMap<string, RoleName>;
};

export type SignInSettings = {
  sso: SsoSettings | null;
  /** False in SSO-only mode: only the break-glass account may use a password. */
  passwordSignIn: boolean;
  breakGlassEmail: string | null;
};

export class SsoConfigError extends Error {
  override name = "SsoConfigError";
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

// Plain http is accepted for loopback only (a test or local IdP); anything else would let a
// network attacker serve the discovery document and keys.
// zod runs refinements even after .url() failed, so each one parses defensively.
function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

const issuerUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = parsedUrl(value);
    return !url || url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname);
  }, "must be an https URL (plain http only on loopback)")
  .refine((value) => !parsedUrl(value)?.search && !parsedUrl(value)?.hash, "must not carry a query or fragment")
  .transform((value) => value.replace(/\/+$/, ""));

const roleMap = z.string().transform((value, ctx) => {
  const map = new Map<string, RoleName>();
  for (const entry of value.split(",").map((part) => part.trim())) {
    if (!entry) continue;
    // The last "=" splits, so a group name may itself contain "=" (LDAP-style DNs do).
    const at = entry.lastIndexOf("=");
    const group = entry.slice(0, Math.max(at, 0)).trim();
    const role = entry
      .slice(at + 1)
      .trim()
      .toUpperCase();
    if (at <= 0 || !group || !(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({ code: "custom", message: `entry "${entry}" is not group=ADMIN|FINANCE|VIEWER` });
      return z.NEVER;
    }
    map.set(group, role as RoleName);
  }
  if (map.size === 0) {
    ctx.addIssue({ code: "custom", message: "maps no group: nobody could sign in with SSO" });
    return z.NEVER;
  }
  return map as ReadonlyMap<string, RoleName>;
});

const ssoSchema = z.object({
  OIDC_ISSUER: issuerUrl,
  OIDC_CLIENT_ID: z.string().trim().min(1).max(512),
  OIDC_CLIENT_SECRET: z.string().min(1).max(4096),
  OIDC_SCOPES: z
    .string()
    .trim()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "must be scope names separated by spaces")
    .refine((value) => value.split(" ").includes("openid"), "must include openid")
    .default("openid email profile"),
  OIDC_NAME: z.string().trim().min(1).max(40).default("SSO"),
  OIDC_ROLE_CLAIM: z.string().trim().min(1).max(100).default("groups"),
  OIDC_ROLE_MAP: roleMap,
});

const passwordSchema = z.object({
  AUTH_PASSWORD_SIGNIN: z.enum(["on", "off"]).default("on"),
  AUTH_BREAK_GLASS_EMAIL: z.string().trim().toLowerCase().email().max(254).optional(),
});

type Env = Readonly<Record<string, string | undefined>>;

// An empty variable counts as unset, as in most deployment tools' templates.
const present = (env: Env, names: string[]) =>
  Object.fromEntries(names.filter((name) => env[name]?.trim()).map((name) => [name, env[name]]));

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "value"} ${issue.message}`).join("; ");
}

/** Throws SsoConfigError naming the variables at fault (never their values: one is a secret). */
export function parseSignInSettings(env: Env): SignInSettings {
  const ssoNames = Object.keys(ssoSchema.shape);
  const ssoEnv = present(env, ssoNames);
  let sso: SsoSettings | null = null;
  if (Object.keys(ssoEnv).length > 0) {
    const parsed = ssoSchema.safeParse(ssoEnv);
    if (!parsed.success) throw new SsoConfigError(`Single sign-on is misconfigured: ${describe(parsed.error)}.`);
    const data = parsed.data;
    sso = {
      issuer: data.OIDC_ISSUER,
      clientId: data.OIDC_CLIENT_ID,
      clientSecret: data.OIDC_CLIENT_SECRET,
      scopes: data.OIDC_SCOPES,
      name: data.OIDC_NAME,
      roleClaim: data.OIDC_ROLE_CLAIM,
      roleMap: data.OIDC_ROLE_MAP,
    };
  }
  const password = passwordSchema.safeParse(present(env, Object.keys(passwordSchema.shape)));
  if (!password.success) throw new SsoConfigError(`Password sign-in is misconfigured: ${describe(password.error)}.`);
  const passwordSignIn = password.data.AUTH_PASSWORD_SIGNIN === "on";
  if (!passwordSignIn && !sso)
    throw new SsoConfigError("AUTH_PASSWORD_SIGNIN=off needs single sign-on configured (OIDC_ISSUER and the rest).");
  if (!passwordSignIn && !password.data.AUTH_BREAK_GLASS_EMAIL)
    throw new SsoConfigError(
      "AUTH_PASSWORD_SIGNIN=off needs AUTH_BREAK_GLASS_EMAIL: one admin who can still sign in when the identity provider is down.",
    );
  return { sso, passwordSignIn, breakGlassEmail: password.data.AUTH_BREAK_GLASS_EMAIL ?? null };
}
