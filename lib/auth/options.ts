import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInWithPassword, SignInError } from "@/lib/auth/sign-in";
import { logger } from "@/lib/log/logger";
import type { RoleName } from "@/lib/auth/roles";
import { clientAddress, trustedProxyHops } from "@/lib/request/forwarding";
import { sameOriginPath } from "@/lib/request/safe-redirect";
import { randomUUID } from "node:crypto";
import { endSession } from "@/lib/auth/end-session";
import { SESSION_MAX_AGE_SECONDS, nowSeconds, sessionClaimsValid } from "@/lib/auth/session-lifetime";
import { signInSettings, type SignInSettings } from "@/lib/auth/sso-config";
import { OIDC_PROVIDER_ID, oidcProvider } from "@/lib/auth/oidc-provider";
import { auditRefusedCallback, completeSsoSignIn } from "@/lib/auth/sso-sign-in";

// The sign-in limits key on the client's address: the socket's by default, or the entry the
// nearest trusted proxy appended when TRUSTED_PROXY_HOPS is set (lib/request/forwarding.ts).
export function clientIp(headers: Record<string, unknown> | undefined, hops = trustedProxyHops()): string {
  return clientAddress(headers, hops);
}

export { SESSION_MAX_AGE_SECONDS };

/** Thrown by the jwt callback for a token past its absolute lifetime or without a session id. */
class SessionEndedError extends Error {
  override name = "SessionEndedError";
}

/** next-auth's options for the given sign-in settings (the server's own: `authOptions` below). */
export function buildAuthOptions(settings: SignInSettings): NextAuthOptions {
  const { sso } = settings;
  return {
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Errors (a refused or failed SSO callback) land on the sign-in page, which explains them.
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            const user = await signInWithPassword(credentials, clientIp(req?.headers), settings);
            return {
              id: user.id,
              email: user.email,
              name: user.name,
              role: user.role,
              sessionVersion: user.sessionVersion,
            };
          } catch (error) {
            if (error instanceof SignInError) throw error;
            logger.error("sign-in failed unexpectedly", { error });
            throw new Error("Sign-in is unavailable right now. Try again shortly.");
          }
        },
      }),
      ...(sso ? [oidcProvider(sso)] : []),
    ],
    callbacks: {
      // Password sign-ins were checked in authorize. An SSO sign-in arrives here with the ID token's
      // verified claims; the console maps the role, creates or links the account, or refuses.
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!sso) return false;
        try {
          const outcome = await completeSsoSignIn(profile, sso);
          if (!outcome.ok) return `/login/refused?reason=${outcome.reason}`;
          // next-auth hands this same object to the jwt callback as `user`.
          Object.assign(user, outcome.user);
          return true;
        } catch (error) {
          logger.error("single sign-on failed unexpectedly", { error });
          return "/login?error=SsoUnavailable";
        }
      },
      // Where next-auth sends the browser after sign-in or sign-out: only the console's own paths.
      async redirect({ url, baseUrl }) {
        const path = sameOriginPath(url, baseUrl);
        return path ? `${new URL(baseUrl).origin}${path}` : baseUrl;
      },
      async jwt({ token, user }) {
        if (user) {
          const signedIn = user as typeof user & { role: RoleName; sessionVersion: number };
          token.sub = signedIn.id;
          token.role = signedIn.role;
          token.sessionVersion = signedIn.sessionVersion;
          token.sid = randomUUID();
          token.authTime = nowSeconds();
          return token;
        }
        // Every later decode lands here (pages through getServerSession, /api/auth/session). Throwing
        // makes next-auth answer no session and clear the cookie instead of renewing it. Tokens
        // without a sid predate server-side sign-out and could never be ended: they are refused too.
        if (!sessionClaimsValid(token)) throw new SessionEndedError("session ended");
        return token;
      },
      async session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          email: token.email ?? "",
          name: token.name ?? "",
          role: token.role as RoleName,
          sessionVersion: Number(token.sessionVersion ?? 0),
          sid: token.sid,
        };
        return session;
      },
    },
    events: {
      // Runs after next-auth has checked the sign-out request's CSRF token, before it clears the
      // cookie. If it throws (database down), next-auth logs SIGNOUT_ERROR and clears the cookie anyway.
      signOut: ({ token }) => endSession(token),
    },
    logger: {
      // An off-site callback URL is a client's doing (a crafted link or cookie), not our failure.
      error: (code, metadata) => {
        // An ended or expired session is normal; a cookie that does not decrypt is a client's doing.
        const kind = code === "JWT_SESSION_ERROR" ? errorName(metadata) : undefined;
        if (kind === "SessionEndedError" || kind === "JWTExpired") return logger.debug(`next-auth: ${code}`, { kind });
        if (kind === "JWEDecryptionFailed" || kind === "JWEInvalid") return logger.warn(`next-auth: ${code}`, { kind });
        if (code === "INVALID_CALLBACK_URL_ERROR") return logger.warn(`next-auth: ${code}`);
        // OAuth errors can carry the ID token, tokens or the IdP's response: only the error's kind
        // and message are kept. A refused token (bad signature, expired, replayed state) is a
        // client's or attacker's doing, so it is a warning.
        if (code === "OAUTH_CALLBACK_ERROR") {
          const { reason } = oauthError(metadata);
          void auditRefusedCallback(String(reason ?? "")).catch((error: unknown) =>
            logger.error("auditing a refused SSO callback failed", { error }),
          );
        }
        if (code.startsWith("OAUTH_") || code.startsWith("SIGNIN_OAUTH"))
          return logger.warn(`next-auth: ${code}`, oauthError(metadata));
        logger.error(`next-auth: ${code}`, { metadata });
      },
      warn: (code) => logger.warn(`next-auth: ${code}`),
      debug: () => undefined,
    },
  };
}

export const authOptions: NextAuthOptions = buildAuthOptions(signInSettings());

function oauthError(metadata: unknown): Record<string, unknown> {
  const error = metadata && typeof metadata === "object" && "error" in metadata ? metadata.error : metadata;
  if (!(error instanceof Error)) return {};
  return { kind: error.name, reason: error.message.slice(0, 300) };
}

// jose's errors by code: a minified build can leave their class names empty.
const JOSE_CODES: Record<string, string> = {
  ERR_JWE_INVALID: "JWEInvalid",
  ERR_JWE_DECRYPTION_FAILED: "JWEDecryptionFailed",
  ERR_JWT_EXPIRED: "JWTExpired",
};

function errorName(metadata: unknown): unknown {
  if (!metadata || typeof metadata !== "object") return undefined;
  const record = metadata as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof record.name === "string" && record.name) return record.name;
  if (typeof record.code === "string" && JOSE_CODES[record.code]) return JOSE_CODES[record.code];
  if (typeof record.message === "string") {
    if (/^Invalid (Compact )?JWE/i.test(record.message)) return "JWEInvalid";
    if (/decryption operation failed/i.test(record.message)) return "JWEDecryptionFailed";
  }
  return record.name;
}
