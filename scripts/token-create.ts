// `npm run token:create -- --name NAME`: creates an ingest token from a shell (for automated
// setups) and prints it once on stdout. Uses the console's database (DATABASE_URL, else the
// embedded one under .data/); audited like the console action.
import { openConsoleDatabase } from "./lib/console-database";

async function main() {
  const index = process.argv.indexOf("--name");
  const name = index >= 0 ? (process.argv[index + 1] ?? "").trim() : "";
  if (!name || name.length > 80) {
    console.error("usage: npm run token:create -- --name NAME   (1-80 characters)");
    process.exit(2);
  }
  const database = await openConsoleDatabase("token:create");
  const { db, pool } = await import("../lib/db/client");
  const { insertIngestToken } = await import("../lib/ingest/tokens");
  const { writeAudit } = await import("../lib/audit/write-audit");
  try {
    const token = await db.$transaction(async (tx) => {
      const created = await insertIngestToken({ name, createdById: null }, tx);
      await writeAudit(
        {
          actor: null,
          action: "ingest_token.created",
          targetType: "ingest_token",
          targetId: created.row.id,
          details: { name, last4: created.row.last4, via: "cli" },
        },
        tx,
      );
      return created.token;
    });
    console.error(`Created ingest token "${name}". It is printed once, below; store it now.`);
    process.stdout.write(`${token}\n`);
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
