// `npm start` / `npm run dev`: database (embedded or DATABASE_URL) → migrations → secrets →
// optional first admin → Next.js. One process tree; Ctrl-C stops Next and then the database.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { buildIfNeeded } from "./lib/build";
import { serverNodeOptions } from "./lib/server-memory";
import { resolveDatabase, type ResolvedDatabase } from "./lib/database";
import { migrate } from "./lib/migrate";
import { ensureSecrets } from "./lib/secrets";
import { bootstrapAdmin } from "./lib/bootstrap-admin";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = Number(process.env.PORT ?? 3000);
const log = (line: string) => process.stdout.write(`[console] ${line}\n`);

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
    if (mode === "start") {
      const problem = buildIfNeeded(env, log);
      if (problem) throw new Error(problem);
    }
    if (mode === "start") env.NODE_OPTIONS = serverNodeOptions(env);
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
