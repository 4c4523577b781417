// `npm run backup:check [-- --url postgresql://… | --fresh]`: proves a backup restores. pg_dump
// (custom format) of the database, pg_restore into a fresh database on the same server, then the
// row count of every table and the applied migrations compared; the scratch database is dropped
// afterwards. The database is --url, else the console's own (DATABASE_URL, else the embedded one
// under .data/); --fresh checks a fresh migrated database seeded with a few rows instead.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createTestDatabase } from "../tests/support/test-database";
import { openConsoleDatabase } from "./lib/console-database";

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`${command} failed (${result.status}): ${result.stderr || result.error?.message}`);
}

async function snapshot(url: string): Promise<{ counts: Record<string, number>; migrations: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
      counts[name] = Number(rows[0]?.n ?? 0);
    }
    const { rows } = await client.query<{ name: string }>(
      "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1",
    );
    return { counts, migrations: rows.map((row) => row.name) };
  } finally {
    await client.end();
  }
}

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (id, email, name, role, password_hash, updated_at) VALUES (gen_random_uuid(), 'backup@example.test', 'Backup', 'ADMIN', 'x', now())`,
    );
    await client.query(
      `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), 'Backup provider', 'openai', 'https://api.openai.com/v1', now())`,
    );
  } finally {
    await client.end();
  }
}

// pg_dump refuses a server of a newer major version (the embedded PostgreSQL may be newer than the
// machine's client tools): say which tools are needed instead of failing mid-dump.
async function checkClientVersion(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client
    .query<{ v: string }>("SELECT current_setting('server_version_num') AS v")
    .finally(() => client.end());
  const serverMajor = Math.floor(Number(rows[0]?.v) / 10_000);
  const version = spawnSync("pg_dump", ["--version"], { encoding: "utf8" });
  const clientMajor = Number(/(\d+)(?:\.\d+)?/.exec(version.stdout ?? "")?.[1] ?? 0);
  if (version.status !== 0 || clientMajor < serverMajor) {
    throw new Error(
      (version.status !== 0
        ? "pg_dump is not installed"
        : `pg_dump ${clientMajor} cannot dump a PostgreSQL ${serverMajor} server`) +
        `: install PostgreSQL ${serverMajor}'s client tools (e.g. postgresql-client-${serverMajor}) and run this again.`,
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const given = arg("url");
  const fresh = process.argv.includes("--fresh");
  const consoleDatabase = given || fresh ? null : await openConsoleDatabase("backup:check");
  const source = consoleDatabase
    ? { url: consoleDatabase.url, drop: () => consoleDatabase.close() }
    : given
      ? { url: given, drop: async () => undefined }
      : await createTestDatabase("pc_backup");
  if (fresh) await seed(source.url);
  const dumpFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pc-backup-")), "console.dump");
  const target = new URL(source.url);
  const restoredName = `pc_restore_${Date.now().toString(36)}`;
  const admin = new URL(source.url);
  admin.pathname = "/postgres";
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  try {
    await adminClient.connect();
    await checkClientVersion(source.url);
    run("pg_dump", ["--format=custom", "--no-owner", `--file=${dumpFile}`, source.url]);
    await adminClient.query(`CREATE DATABASE "${restoredName}"`);
    target.pathname = `/${restoredName}`;
    run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${target.toString()}`, dumpFile]);
    const [before, after] = await Promise.all([snapshot(source.url), snapshot(target.toString())]);
    const differences = Object.keys({ ...before.counts, ...after.counts }).filter(
      (table) => before.counts[table] !== after.counts[table],
    );
    const migrationsMatch = JSON.stringify(before.migrations) === JSON.stringify(after.migrations);
    const ok = differences.length === 0 && migrationsMatch && before.migrations.length > 0;
    console.log(
      JSON.stringify({
        ok,
        tables: Object.keys(before.counts).length,
        rows: Object.values(before.counts).reduce((a, b) => a + b, 0),
        migrations: before.migrations.length,
        migrationsMatch,
        differences,
        dumpBytes: fs.statSync(dumpFile).size,
        ms: Date.now() - started,
      }),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await adminClient.query(`DROP DATABASE IF EXISTS "${restoredName}" WITH (FORCE)`).catch(() => undefined);
    await adminClient.end();
    fs.rmSync(path.dirname(dumpFile), { recursive: true, force: true });
    await source.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
