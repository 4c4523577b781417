// `npm run usage:retention [-- --days N]`: deletes raw usage records older than N days (default:
// the retention set on the console's Retention page), in batches, until none is left. Rollups
// keep the history. Uses the console's database (DATABASE_URL, else the embedded one under
// .data/); audited like the console action. Suited to a daily cron.
import { openConsoleDatabase } from "./lib/console-database";

async function main() {
  const index = process.argv.indexOf("--days");
  const given = index >= 0 ? Number(process.argv[index + 1]) : null;
  if (given !== null && !(Number.isInteger(given) && given >= 1)) {
    console.error("usage: npm run usage:retention [-- --days N]   (N a whole number of days, at least 1)");
    process.exit(2);
  }
  const database = await openConsoleDatabase("usage:retention");
  const { db, pool } = await import("../lib/db/client");
  const { cutoffFor, deleteRawRecordsBefore, getRetentionSettings } = await import("../lib/usage/retention");
  const { writeAudit } = await import("../lib/audit/write-audit");
  try {
    const days = given ?? (await getRetentionSettings()).retentionDays;
    if (!days) {
      console.error(
        "No retention is set (raw records are kept forever). Set one on /usage/retention or pass --days N.",
      );
      return;
    }
    const cutoff = cutoffFor(days);
    console.error(`Deleting raw usage records older than ${cutoff.toISOString()} (${days} days)…`);
    const run = await deleteRawRecordsBefore(cutoff, {
      onBatch: (deleted) => process.stderr.write(`\r${deleted.toLocaleString("en-US")} deleted`),
    });
    process.stderr.write("\n");
    await writeAudit({
      actor: null,
      action: "usage.retention_run",
      targetType: "usage_settings",
      targetId: "1",
      details: { ...run, olderThanDays: days, via: "cli" },
    });
    console.log(
      `Deleted ${run.deleted} raw record(s) older than ${run.cutoff} in ${run.batches} batch(es). Rollups are unchanged.`,
    );
  } finally {
    await db.$disconnect();
    await pool.end();
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
