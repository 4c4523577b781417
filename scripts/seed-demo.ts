// `npm run seed:demo [-- --rows N]`: fills the last 90 days with realistic usage (default 200,000
// records) across several providers through the ingestion path, so a new console shows living
// charts. Uses the console's database (DATABASE_URL, else the embedded one under .data/, see
// scripts/lib/console-database.ts). Re-running adds nothing twice: record ids are deterministic.
import { ingestSyntheticUsage } from "./synthetic-usage";
import { openConsoleDatabase } from "./lib/console-database";

async function main() {
  const index = process.argv.indexOf("--rows");
  const rows = index >= 0 ? Number(process.argv[index + 1]) : 200_000;
  const database = await openConsoleDatabase("seed:demo");
  const { db, pool } = await import("../lib/db/client");
  try {
    // Deterministic ids only dedupe against the same time window: anchor it to the day seeded.
    const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const prefix = `demo-${to.toISOString().slice(0, 10)}`;
    const created = await ingestSyntheticUsage(db, {
      rows,
      from,
      to,
      seed: 7,
      prefix,
      onProgress: (done) => {
        if (done % 20_000 === 1000) console.error(`${done}/${rows}…`);
      },
    });
    console.log(
      `Seeded ${created} usage records over ${from.toISOString().slice(0, 10)} – ${to.toISOString().slice(0, 10)} (one model is deliberately unpriced).`,
    );
    // Slugs come from the names (the database derives them); show what applications would call.
    const providers = await db.provider.findMany({
      where: { description: "Demo data" },
      select: { slug: true, models: { select: { modelId: true }, orderBy: { modelId: "asc" }, take: 1 } },
      orderBy: { slug: "asc" },
    });
    const examples = providers.flatMap((p) => p.models.map((m) => `${p.slug}/${m.modelId}`));
    if (examples.length) console.log(`Gateway model names, e.g.: ${examples.join(", ")}`);
  } finally {
    await db.$disconnect();
    await pool.end();
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
