// A cheap "did anything change?" fingerprint of the whole database: per table, the row count and
// the newest created_at/updated_at. A refused request must leave it identical.
import { db } from "@/lib/db/client";

let query: string | null = null;

async function buildQuery(): Promise<string> {
  const columns = await db.$queryRawUnsafe<{ table_name: string; column_name: string | null }[]>(
    `SELECT t.table_name, c.column_name FROM information_schema.tables t
     LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name IN ('updated_at', 'created_at')
     WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> '_prisma_migrations'`,
  );
  const tables = new Map<string, Set<string>>();
  for (const { table_name, column_name } of columns) {
    const cols = tables.get(table_name) ?? new Set<string>();
    if (column_name) cols.add(column_name);
    tables.set(table_name, cols);
  }
  const parts = [...tables.keys()].sort().map((table) => {
    const cols = tables.get(table)!;
    const newest = ["updated_at", "created_at"].filter((col) => cols.has(col)).map((col) => `max("${col}")::text`);
    return `SELECT '${table}' AS t, count(*)::text || '|' || concat_ws('|', ${newest.length ? newest.join(", ") : "''"}) AS f FROM "${table}"`;
  });
  return parts.join(" UNION ALL ");
}

export async function dbFingerprint(): Promise<string> {
  query ??= await buildQuery();
  const rows = await db.$queryRawUnsafe<{ t: string; f: string }[]>(query);
  return rows.map((row) => `${row.t}=${row.f}`).join(";");
}
