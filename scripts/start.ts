// `npm start` / `npm run dev`: database (embedded or DATABASE_URL) → migrations → secrets →
// optional first admin → Next.js and the gateway (its own process and port: docs/gateway.md).
// One process tree; Ctrl-C stops both (the gateway writes its queued usage first), then the database.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import { buildIfNeeded, distDir } from "./lib/build";
import { serverNodeOptions } from "./lib/server-memory";
import { DATA_DIR, resolveDatabase, type ResolvedDatabase } from "./lib/database";
import { migrate } from "./lib/migrate";
import { ensureSecrets, shownPath } from "./lib/secrets";
import { bootstrapAdmin } from "./lib/bootstrap-admin";
import { gatewayBundle, gatewayNodeArgs } from "./lib/gateway-bundle";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = Number(process.env.PORT ?? 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3001);
const log = (line: string) => process.stdout.write(`[console] ${line}\n`);

async function main(): Promise<void> {
  let database: ResolvedDatabase | undefined;
  let next: ChildProcess | undefined;
  let gateway: ChildProcess | undefined;
  let stopping = false;

  const end = (child: ChildProcess | undefined, graceMs: number) =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null) return resolve(undefined);
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(undefined);
      }, graceMs);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("Stopping…");
    // The gateway lets running requests finish (up to 30 s) and flushes its usage records.
    await Promise.all([end(next, 10_000), end(gateway, 40_000)]);
    if (database?.started) {
      await database.stop().catch((error: unknown) => log(`Stopping the embedded PostgreSQL failed: ${String(error)}`));
      log("Embedded PostgreSQL stopped.");
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    // The Docker image (CONSOLE_IMAGE=1) is built once and configured at run time: no embedded
    // database, no generated secrets (each container would get its own), never a rebuild.
    const image = process.env.CONSOLE_IMAGE === "1";
    if (image) {
      const missing = ["DATABASE_URL", "NEXTAUTH_SECRET", "CONSOLE_MASTER_KEYS"].filter((name) => !process.env[name]);
      if (missing.length > 0)
        throw new Error(
          `Set ${missing.join(", ")}: the image runs with the environment given at run time (docs/deployment.md).`,
        );
      if (mode === "start" && !fs.existsSync(path.join(distDir(), "BUILD_ID"))) {
        throw new Error(`No build in ${distDir()}: the image is built with \`npm run build\` (see Dockerfile).`);
      }
    }
    database = await resolveDatabase(log);
    const applied = migrate(database.url);
    log(applied > 0 ? `Applied ${applied} migration(s).` : "Database schema is up to date.");
    const secrets = ensureSecrets(database.embedded, log);
    database.ready();
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
    if (mode === "start" && !image) {
      const problem = buildIfNeeded(env, log);
      if (problem) throw new Error(problem);
    }
    if (mode === "start") env.NODE_OPTIONS = serverNodeOptions(env);
    next = spawn(path.resolve("node_modules/.bin/next"), [mode, "--port", String(port)], { stdio: "inherit", env });
    next.on("exit", (code) => void stop(code ?? 0));
    // Node itself on the prebuilt bundle (scripts/lib/gateway-bundle.ts), not the tsx CLI: the CLI
    // relays SIGTERM through a second process and SIGKILLs the script when it does not acknowledge
    // within 30 ms, losing a busy gateway's queued usage records.
    gateway = spawn(process.execPath, gatewayNodeArgs(gatewayBundle()), {
      stdio: "inherit",
      env: { ...env, GATEWAY_PORT: String(gatewayPort), NODE_ENV: "production" },
    });
    // The console stays up without it (its pages do not need the gateway), but says so loudly.
    gateway.on("exit", (code) => {
      if (!stopping)
        log(
          `The gateway stopped (exit ${code ?? "signal"}): applications cannot call it until the console restarts. Is port ${gatewayPort} taken? GATEWAY_PORT chooses another.`,
        );
    });
    log(`Provider Console is starting on ${publicUrl}`);
    log(
      `Gateway: applications call ${process.env.GATEWAY_PUBLIC_URL ?? `http://localhost:${gatewayPort}/v1`} with keys from ${publicUrl}/gateway/keys.`,
    );
    if (database.embedded) {
      const where = shownPath(DATA_DIR);
      const files = [
        !process.env.NEXTAUTH_SECRET && `${where}/auth-secret`,
        !process.env.CONSOLE_MASTER_KEYS && `${where}/master-keys`,
      ].filter(Boolean);
      log(
        `Data: ${where}/ holds the embedded PostgreSQL (${database.url})${files.length ? ` and the generated secrets (${files.join(", ")})` : ""}.${process.env.CONSOLE_MASTER_KEYS ? "" : ` Keep a copy of ${where}/master-keys: without it, stored provider keys cannot be read from a backup.`}`,
      );
      log(
        "Other commands (npm run seed:demo, token:create, keys:rewrap, usage:retention, backup:check) use this database by themselves: run them in another terminal.",
      );
    } else {
      log(`Data: the PostgreSQL at ${redactedUrl(database.url)} (DATABASE_URL).`);
    }
    log(
      hasUsers
        ? `Sign in at ${publicUrl}/login`
        : `First run: open ${publicUrl}/setup to create the first admin account, then sign in with it at ${publicUrl}/login.`,
    );
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    await stop(1);
  }
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

void main();
