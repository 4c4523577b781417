import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInWithPassword, SignInError } from "@/lib/auth/sign-in";
import { logger } from "@/lib/log/logger";
import type { RoleName } from "@/lib/auth/roles";
import { clientAddress, trustedProxyHops } from "@/lib/request/forwarding";
import { sameOriginPath } from "@/lib/request/safe-redirect";

// The sign-in limits key on the client's address: the socket's by default, or the entry the
// nearest trusted proxy appended when TRUSTED_PROXY_HOPS is set (lib/request/forwarding.ts).
export function clientIp(headers: Record<string, unknown> | undefined, hops = trustedProxyHops()): string {
  return clientAddress(headers, hops);
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
