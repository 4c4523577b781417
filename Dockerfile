# Provider Console image: built once with no database and no secrets, configured at run time.
#   docker build -t provider-console .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e NEXTAUTH_SECRET=… -e CONSOLE_MASTER_KEYS=… \
#     -e NEXTAUTH_URL=https://console.example.com provider-console
# See docs/deployment.md. linux/amd64: package.json pins the x64 embedded-PostgreSQL binaries, which
# npm ci refuses on another CPU (the image itself never starts them: DATABASE_URL is required).

FROM --platform=linux/amd64 node:20-bookworm-slim AS deps
WORKDIR /app
# Only what `npm ci` and its postinstall (patch-package, prisma generate) read, so this layer is
# rebuilt only when the dependencies change.
COPY package.json package-lock.json prisma.config.ts ./
COPY patches ./patches
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# No DATABASE_URL, NEXTAUTH_SECRET or CONSOLE_MASTER_KEYS here: nothing connects to the database
# or reads a secret at build time (tests/integration/build-without-environment.test.ts).
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && rm -rf .next/cache

FROM --platform=linux/amd64 node:20-bookworm-slim AS runtime
WORKDIR /app
# CONSOLE_IMAGE=1: `npm start` never builds (the build is in the image), never starts the embedded
# PostgreSQL and never generates secrets; it refuses to start without the three variables below.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    CONSOLE_IMAGE=1 \
    PORT=3000
# The whole tree: `npm start` (migrations, then `next start`) and the helper scripts
# (`docker exec … npm run keys:rewrap`) run TypeScript through tsx, and read prisma/ and lib/.
COPY --from=build --chown=root:root /app /app
# next start writes its caches under .next; everything else stays read-only for the server.
RUN mkdir -p .next/cache && chown -R node:node .next/cache
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# One Node process (tsx as an import hook, not a wrapper) that applies pending migrations, then
# runs `next start` and forwards SIGTERM to it; the same path as `npm start`.
CMD ["node", "--import", "tsx", "scripts/start.ts", "start"]
