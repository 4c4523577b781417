// `npm run keys:rewrap`: re-encrypts every stored secret with the current master key (the first
// in CONSOLE_MASTER_KEYS), in batches, then prints counts per master key id. Safe to run while the
// console serves requests (compare-and-set per row) and safe to re-run (finished rows are skipped).
// Runs under the react-server condition (see package.json) so lib's server-only modules load.
import fs from "node:fs";
import path from "node:path";
import { parseKeyring, KeyringError } from "../lib/crypto/keyring";

const DATA_DIR = path.resolve(process.env.CONSOLE_DATA_DIR ?? ".data");
const log = (line: string) => process.stdout.write(`[keys:rewrap] ${line}\n`);

function fail(message: string): never {
  process.stderr.write(`[keys:rewrap] ${message}\n`);
  process.exit(1);
}

// While `npm start` runs the embedded PostgreSQL, its pid file names the port (line 4).
function runningEmbeddedDatabaseUrl(): string | undefined {
  const pidFile = path.join(DATA_DIR, "postgres", "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  const [pid, , , port] = fs.readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return port && /^\d+$/.test(port.trim()) ? `postgresql://postgres:postgres@127.0.0.1:${port.trim()}/console` : undefined;
}

function resolveEnvironment(): void {
  if (!process.env.CONSOLE_MASTER_KEYS) {
    const keyFile = path.join(DATA_DIR, "master-keys");
    if (fs.existsSync(keyFile)) process.env.CONSOLE_MASTER_KEYS = fs.readFileSync(keyFile, "utf8").trim();
  }
  // process.env stringifies undefined, so assign only a real URL.
  const embeddedUrl = process.env.DATABASE_URL ? undefined : runningEmbeddedDatabaseUrl();
  if (embeddedUrl) process.env.DATABASE_URL = embeddedUrl;
  if (!process.env.DATABASE_URL) {
    fail(fs.existsSync(DATA_DIR)
      ? "DATABASE_URL is not set. The embedded database only runs while `npm start` runs: start the console, then run " +
          "`DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:<port>/console npm run keys:rewrap` with the port `npm start` printed " +
          "(\"Embedded PostgreSQL listening on …\"), or use the Settings page's \"Re-encrypt\" button."
      : "DATABASE_URL is not set: point it at the console's database.");
  }
  if (!process.env.CONSOLE_MASTER_KEYS) fail("CONSOLE_MASTER_KEYS is not set: the keyring the console runs with, current key first.");
  try {
    parseKeyring(process.env.CONSOLE_MASTER_KEYS);
  } catch (error) {
    fail(error instanceof KeyringError ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  resolveEnvironment();
  // Imported after the environment is settled: the database client reads DATABASE_URL on load.
  const { rewrapAll } = await import("../lib/crypto/rewrap");
  const { writeAudit } = await import("../lib/audit/write-audit");
  const { expireKeys } = await import("../lib/keys/expire-keys");
  const { db, pool } = await import("../lib/db/client");
  await expireKeys();
  let batches = 0;
  const summary = await rewrapAll((batch) => {
    batches += 1;
    log(`batch ${batches}: re-encrypted ${batch.moved}, undecryptable ${batch.undecryptable}, changed meanwhile ${batch.skippedConcurrent}`);
  });
  await writeAudit({ actor: null, action: "masterkey.rewrap", targetType: "master_key", targetId: summary.currentKeyId, details: {
    moved: summary.moved, undecryptable: summary.undecryptable, skippedConcurrent: summary.skippedConcurrent, countsAfter: summary.after, source: "cli",
  } });
  for (const [column, before] of Object.entries(summary.before)) {
    const describe = (counts: Record<string, number> | undefined) => Object.entries(counts ?? {}).map(([id, n]) => `${id}=${n}`).join(" ") || "none";
    log(`${column}: before ${describe(before)} → after ${describe(summary.after[column])}`);
  }
  log(`current key ${summary.currentKeyId}: re-encrypted ${summary.moved}, undecryptable ${summary.undecryptable}.`);
  await db.$disconnect();
  await pool.end();
  if (summary.undecryptable > 0) {
    fail(`${summary.undecryptable} secret(s) could not be decrypted with this keyring; they were left unchanged (see /api/health).`);
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
