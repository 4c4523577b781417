// A "did anything change?" fingerprint of the whole database. Per table: the row count and the newest
// row version's transaction id (xmin), so any committed insert or update (whichever column it touched:
// revoked_at, a re-sealed secret, a price) and any delete shows. Cheap enough to take twice per call
// however many usage rows earlier files wrote; the row-text md5 it replaces grew with the database and
// pushed the hostile-input sweep past its timeout. Tables with a left-out column hash their row text.
import { db } from "@/lib/db/client";

// Tables a refused request may legitimately write, left out on purpose (everything else is hashed):
// - rate_limits: sign-in throttling counts attempts, refused ones included; that is its job.
export const UNHASHED_TABLES: ReadonlySet<string> = new Set(["rate_limits"]);
// Columns left out the same way, as "table.column":
// - ingest_tokens.last_used_at: stamped when a token authenticates, even if its batch is then refused.
export const UNHASHED_COLUMNS: ReadonlySet<string> = new Set(["ingest_tokens.last_used_at"]);

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

let query: string | null = null;

async function buildQuery(): Promise<string> {
  const columns = await db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
    `SELECT t.table_name, c.column_name FROM information_schema.tables t
     JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
     WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY t.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const { table_name, column_name } of columns)
    tables.set(table_name, [...(tables.get(table_name) ?? []), column_name]);
  const parts = [...tables]
    .filter(([table]) => !UNHASHED_TABLES.has(table))
    .map(([table, cols]) => {
      const kept = cols.filter((col) => !UNHASHED_COLUMNS.has(`${table}.${col}`));
      const name = `'${table.replaceAll("'", "''")}' AS t`;
      if (kept.length === cols.length)
        return `SELECT ${name}, count(*)::text || '|' || coalesce(max(r.xmin::text::bigint)::text, '') AS f FROM ${quoteIdent(table)} r`;
      const row = `row(${kept.map((col) => `r.${quoteIdent(col)}`).join(", ")})::text`;
      // Sorted by the row text so the hash does not depend on physical row order.
      return `SELECT ${name}, count(*)::text || '|' || coalesce(md5(string_agg(${row}, ',' ORDER BY ${row})), '') AS f FROM ${quoteIdent(table)} r`;
    });
  if (parts.length === 0) throw new Error("db-fingerprint found no tables in the public schema");
  return parts.join(" UNION ALL ");
}

export async function dbFingerprint(): Promise<string> {
  query ??= await buildQuery();
  const rows = await db.$queryRawUnsafe<{ t: string; f: string }[]>(query);
  return rows
    .map((row) => `${row.t}=${row.f}`)
    .sort()
    .join(";");
}
