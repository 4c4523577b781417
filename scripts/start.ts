// `npm start` / `npm run dev`: database (embedded or DATABASE_URL) → migrations → secrets →
// optional first admin → Next.js. One process tree; Ctrl-C stops Next and then the database.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveDatabase, type ResolvedDatabase } from "./lib/database";
import { migrate } from "./lib/migrate";
import { ensureSecrets } from "./lib/secrets";
import { bootstrapAdmin } from "./lib/bootstrap-admin";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = Number(process.env.PORT ?? 3000);
const log = (line: string) => process.stdout.write(`[console] ${line}\n`);

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs"];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (entry === "lib" && child === "generated") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** Builds on first start and whenever a source file is newer than the last build. */
function buildIfNeeded(env: NodeJS.ProcessEnv): void {
  const buildId = path.join(process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (built > 0 && SOURCES.every((entry) => newestMtime(entry) <= built)) return;
  log(built ? "Sources changed since the last build: rebuilding (about a minute)…" : "Building the console (first start, about a minute)…");
  const result = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit", env });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
}

async function main(): Promise<void> {
  let database: ResolvedDatabase | undefined;
  let next: ChildProcess | undefined;
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("Stopping…");
    if (next && next.exitCode === null) {
      next.kill("SIGTERM");
      await new Promise((resolve) => {
        const timer = setTimeout(() => { next?.kill("SIGKILL"); resolve(undefined); }, 10_000);
        next?.once("exit", () => { clearTimeout(timer); resolve(undefined); });
      });
    }
    if (database?.embedded) {
      await database.stop().catch((error: unknown) => log(`Stopping the embedded PostgreSQL failed: ${String(error)}`));
      log("Embedded PostgreSQL stopped.");
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    database = await resolveDatabase(log);
    const applied = migrate(database.url);
    log(applied > 0 ? `Applied ${applied} migration(s).` : "Database schema is up to date.");
    const secrets = ensureSecrets(database.embedded, log);
    const hasUsers = await bootstrapAdmin(database.url, log);
    const publicUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...secrets,
      DATABASE_URL: database.url,
      NEXTAUTH_URL: publicUrl,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (mode === "start") buildIfNeeded(env);
    next = spawn(path.resolve("node_modules/.bin/next"), [mode, "--port", String(port)], { stdio: "inherit", env });
    next.on("exit", (code) => void stop(code ?? 0));
    log(`Provider Console is starting on ${publicUrl}`);
    log(hasUsers ? `Sign in at ${publicUrl}/login` : `First run: open ${publicUrl}/setup to create the first admin account.`);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    await stop(1);
  }
}

void main();
