// `npm run keys:rewrap`: re-encrypts every stored secret with the current master key (the first
// in CONSOLE_MASTER_KEYS), in batches, then prints counts per master key id. Safe to run while the
// console serves requests (compare-and-set per row) and safe to re-run (finished rows are skipped).
// Runs under the react-server condition (see package.json) so lib's server-only modules load.
import { openConsoleDatabase } from "./lib/console-database";

const log = (line: string) => process.stdout.write(`[keys:rewrap] ${line}\n`);

function fail(message: string): never {
  process.stderr.write(`[keys:rewrap] ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  // The console's database and keyring: DATABASE_URL and CONSOLE_MASTER_KEYS, else the embedded
  // database and .data/master-keys. Settled before lib/db/client opens its pool on first use.
  const database = await openConsoleDatabase("keys:rewrap", { needsKeyring: true });
  const { db, pool } = await import("../lib/db/client");
  let undecryptable = 0;
  try {
    const { rewrapAll } = await import("../lib/crypto/rewrap");
    const { writeAudit } = await import("../lib/audit/write-audit");
    const { expireKeys } = await import("../lib/keys/expire-keys");
    await expireKeys();
    let batches = 0;
    const summary = await rewrapAll((batch) => {
      batches += 1;
      log(
        `batch ${batches}: re-encrypted ${batch.moved}, undecryptable ${batch.undecryptable}, changed meanwhile ${batch.skippedConcurrent}`,
      );
    });
    await writeAudit({
      actor: null,
      action: "masterkey.rewrap",
      targetType: "master_key",
      targetId: summary.currentKeyId,
      details: {
        moved: summary.moved,
        undecryptable: summary.undecryptable,
        skippedConcurrent: summary.skippedConcurrent,
        countsAfter: summary.after,
        source: "cli",
      },
    });
    for (const [column, before] of Object.entries(summary.before)) {
      const describe = (counts: Record<string, number> | undefined) =>
        Object.entries(counts ?? {})
          .map(([id, n]) => `${id}=${n}`)
          .join(" ") || "none";
      log(`${column}: before ${describe(before)} → after ${describe(summary.after[column])}`);
    }
    log(`current key ${summary.currentKeyId}: re-encrypted ${summary.moved}, undecryptable ${summary.undecryptable}.`);
    undecryptable = summary.undecryptable;
  } finally {
    await db.$disconnect();
    await pool.end();
    await database.close();
  }
  if (undecryptable > 0) {
    fail(
      `${undecryptable} secret(s) could not be decrypted with this keyring; they were left unchanged (see /api/health).`,
    );
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
