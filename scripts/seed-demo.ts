// `npm run seed:demo [-- --rows N]`: fills the last 90 days with realistic usage (default 200,000
// records) across several providers through the ingestion path, so a new console shows living
// charts. Uses DATABASE_URL. Re-running adds nothing twice: record ids are deterministic.
import { syntheticRecords } from "./bench-data";
import { ensureSyntheticCatalog } from "./bench-catalog";

async function main() {
  if (!process.env.DATABASE_URL) {
    console.error("Set DATABASE_URL to the console's database (npm start prints it).");
    process.exit(2);
  }
  const index = process.argv.indexOf("--rows");
  const rows = index >= 0 ? Number(process.argv[index + 1]) : 200_000;
  const { db, pool } = await import("../lib/db/client");
  const { ingestBatch } = await import("../lib/ingest/ingest-batch");
  try {
    await ensureSyntheticCatalog(db);
    // Deterministic ids only dedupe against the same time window: anchor it to the day seeded.
    const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const prefix = `demo-${to.toISOString().slice(0, 10)}`;
    let created = 0;
    for (let start = 0; start < rows; start += 1000) {
      const summary = await ingestBatch(syntheticRecords(start, 1000, rows, from, to, 7, prefix), null);
      created += summary.created;
      if ((start / 1000) % 20 === 0) console.error(`${start + 1000}/${rows}…`);
    }
    console.log(`Seeded ${created} usage records over ${from.toISOString().slice(0, 10)} – ${to.toISOString().slice(0, 10)} (one model is deliberately unpriced).`);
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
