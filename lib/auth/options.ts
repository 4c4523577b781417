import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInWithPassword, SignInError } from "@/lib/auth/sign-in";
import { logger } from "@/lib/log/logger";
import type { RoleName } from "@/lib/auth/roles";

// The per-IP sign-in limit keys on the address the nearest trusted proxy saw. Proxies append to
// X-Forwarded-For, so the entry TRUSTED_PROXY_HOPS from the right is the one no client can forge
// (default 1: one reverse proxy in front). Without any proxy a client can vary the header to dodge
// the per-IP limit, but not the per-account limit, which is what stops password guessing.
export function clientIp(headers: Record<string, unknown> | undefined, hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 1)): string {
  const forwarded = headers?.["x-forwarded-for"];
  const entries = typeof forwarded === "string" ? forwarded.split(",").map((entry) => entry.trim()).filter(Boolean) : [];
  const trusted = entries[Math.max(0, entries.length - Math.max(1, hops))];
  const real = headers?.["x-real-ip"];
  return (trusted || (typeof real === "string" ? real.trim() : "") || "local").slice(0, 64);
}

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

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
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        } catch (error) {
          if (error instanceof SignInError) throw error;
          logger.error("sign-in failed unexpectedly", { error });
          throw new Error("Sign-in is unavailable right now. Try again shortly.");
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as typeof user & { role: RoleName; sessionVersion: number };
        token.sub = signedIn.id;
        token.role = signedIn.role;
        token.sessionVersion = signedIn.sessionVersion;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = {
        id: token.sub ?? "",
        email: token.email ?? "",
        name: token.name ?? "",
        role: token.role as RoleName,
        sessionVersion: Number(token.sessionVersion ?? 0),
      };
      return session;
    },
  },
  logger: {
    // An off-site callback URL is a client's doing (a crafted link or cookie), not our failure.
    error: (code, metadata) =>
      code === "INVALID_CALLBACK_URL_ERROR" ? logger.warn(`next-auth: ${code}`) : logger.error(`next-auth: ${code}`, { metadata }),
    warn: (code) => logger.warn(`next-auth: ${code}`),
    debug: () => undefined,
  },
};
