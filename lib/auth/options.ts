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

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const user = await signInWithPassword(credentials, clientIp(req?.headers));
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
  ],
  callbacks: {
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
      logger.error(`next-auth: ${code}`, { metadata });
    },
    warn: (code) => logger.warn(`next-auth: ${code}`),
    debug: () => undefined,
  },
};

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
