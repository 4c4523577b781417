import type { PrismaClient } from "../lib/generated/prisma/client";
import { ensureSyntheticCatalog } from "./bench-catalog";
import { syntheticRecords } from "./bench-data";

// Fills [from, to) with `rows` synthetic records through ingestBatch (the ingestion API's path),
// after creating the synthetic catalog: the demo seed and the load generator's database. Returns
// how many were stored (deterministic ids: re-running the same window stores nothing twice).
export async function ingestSyntheticUsage(
  db: PrismaClient,
  options: { rows: number; from: Date; to: Date; seed: number; prefix: string; onProgress?: (done: number) => void },
): Promise<number> {
  // Imported here: scripts run under the react-server condition that lib's server-only modules need.
  const { ingestBatch } = await import("../lib/ingest/ingest-batch");
  await ensureSyntheticCatalog(db);
  let created = 0;
  for (let start = 0; start < options.rows; start += 1000) {
    const summary = await ingestBatch(
      syntheticRecords(start, 1000, options.rows, options.from, options.to, options.seed, options.prefix),
      null,
    );
    created += summary.created;
    options.onProgress?.(Math.min(options.rows, start + 1000));
  }
  return created;
}
