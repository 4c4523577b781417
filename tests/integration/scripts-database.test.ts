import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A newcomer's path: `npm start` in one terminal, `npm run seed:demo` (or any helper script) in
// another, with no environment at all. The scripts must find the embedded database under the data
// dir: start it for themselves when nothing runs (and stop it afterwards), use `npm start`'s when it
// runs, and read the secrets generated beside it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-scripts-"));
const pgPort = 58000 + Math.floor(Math.random() * 1500);

type Run = { code: number | null; stdout: string; stderr: string };

/** `npm run <script>` as a person types it: no DATABASE_URL, no secrets, only the data dir. */
function npmRun(script: string, args: string[] = [], onStderr: (text: string) => void = () => {}): Promise<Run> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CONSOLE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
  } as Record<string, string | undefined> as NodeJS.ProcessEnv;
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr(stderr);
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const postmasterRunning = () => {
  const file = path.join(dataDir, "postgres", "postmaster.pid");
  if (!fs.existsSync(file)) return false;
  try {
    process.kill(Number(fs.readFileSync(file, "utf8").split("\n")[0]), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

let database: typeof import("../../scripts/lib/database");
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  // The in-process stand-in for `npm start` below resolves the database exactly as it does.
  delete process.env.DATABASE_URL;
  process.env.CONSOLE_DATA_DIR = dataDir;
  process.env.EMBEDDED_PG_PORT = String(pgPort);
  vi.resetModules();
  database = await import("../../scripts/lib/database");
});

afterAll(() => {
  process.env.DATABASE_URL = savedUrl;
  delete process.env.CONSOLE_DATA_DIR;
  delete process.env.EMBEDDED_PG_PORT;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("helper scripts with no environment", () => {
  it("start the embedded database themselves when nothing runs, one at a time, and stop it afterwards", async () => {
    const [first, second] = await Promise.all([
      npmRun("token:create", ["--name", "first"]),
      npmRun("token:create", ["--name", "second"]),
    ]);
    expect(first.stderr + first.stdout).not.toMatch(/DATABASE_URL/);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout.trim()).toMatch(/^\S{20,}$/);
    expect(second.stdout.trim()).toMatch(/^\S{20,}$/);
    // One of the two waited for the other instead of starting a second server on the directory.
    expect(first.stderr + second.stderr).toMatch(/is using the embedded PostgreSQL; waiting for it to finish/);
    expect(postmasterRunning()).toBe(false);
    expect(database.readEmbeddedRecord()).toBeNull();
    // The keyring and session secret a later `npm start` will read were generated beside the database.
    expect(fs.readFileSync(path.join(dataDir, "master-keys"), "utf8")).toMatch(/^k\d{8}:\S{44}\n$/);
    expect(fs.statSync(path.join(dataDir, "master-keys")).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dataDir, "auth-secret"))).toBe(true);
  }, 180_000);

  it("use the embedded database `npm start` runs, and leave it running", async () => {
    const { migrate } = await import("../../scripts/lib/migrate");
    const server = await database.resolveDatabase(() => undefined, { owner: "server", command: "npm start" });
    try {
      expect(server.started).toBe(true);
      // Until `npm start` has applied its migrations, a script waits rather than meet missing tables.
      expect(database.readEmbeddedRecord()).toMatchObject({
        pid: process.pid,
        owner: "server",
        url: server.url,
        ready: false,
      });
      let waiting: () => void = () => {};
      const saysItWaits = new Promise<void>((resolve) => (waiting = resolve));
      const early = npmRun("token:create", ["--name", "third"], (text) => {
        if (text.includes("is applying migrations to the embedded PostgreSQL; waiting for it")) waiting();
      });
      await Promise.race([saysItWaits, early]);
      expect(migrate(server.url)).toBe(0); // the first script already migrated this database
      server.ready();
      const third = await early;
      expect(third.code, third.stderr).toBe(0);
      expect(third.stderr).toContain("is applying migrations to the embedded PostgreSQL; waiting for it");

      const seeded = await npmRun("seed:demo", ["--rows", "300"]);
      expect(seeded.code, seeded.stderr).toBe(0);
      expect(seeded.stderr).toContain(`Using the embedded PostgreSQL of \`npm start\` (pid ${process.pid})`);
      expect(seeded.stdout).toMatch(/^Seeded \d+ usage records/m);

      const keyId = fs.readFileSync(path.join(dataDir, "master-keys"), "utf8").split(":")[0];
      const rewrap = await npmRun("keys:rewrap");
      expect(rewrap.code, rewrap.stderr).toBe(0);
      expect(rewrap.stdout).toContain(`current key ${keyId}:`);

      const retention = await npmRun("usage:retention", ["--days", "3650"]);
      expect(retention.code, retention.stderr).toBe(0);

      // Everything landed in the database the server runs on, which is still up: the two tokens
      // created before it started and the one after, the demo usage, and the scripts' audit events.
      const tokens = await query<{ name: string }>(server.url, "SELECT name FROM ingest_tokens ORDER BY name");
      expect(tokens.map((row) => row.name)).toEqual(["first", "second", "third"]);
      const [usage] = await query<{ n: string }>(server.url, "SELECT count(*) AS n FROM usage_records");
      expect(Number(usage?.n)).toBeGreaterThanOrEqual(300);
      const audit = await query<{ action: string }>(server.url, "SELECT action FROM audit_events");
      expect(audit.map((row) => row.action)).toEqual(
        expect.arrayContaining(["ingest_token.created", "masterkey.rewrap", "usage.retention_run"]),
      );
      expect(postmasterRunning()).toBe(true);
    } finally {
      await server.stop();
    }
    expect(postmasterRunning()).toBe(false);
  }, 240_000);
});
