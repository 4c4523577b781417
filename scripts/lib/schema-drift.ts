// Do the committed migrations build the database prisma/schema.prisma describes? The WASM schema
// engine cannot diff against a database or a migrations folder (shared STACK-NOTES), so this
// builds one scratch database with `migrate deploy` and one from schema.prisma alone, and compares
// their catalogs. Shared by `npm run db:migration` (checks what it wrote) and the drift test.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { migrate } from "./migrate";

const PRISMA = path.resolve("node_modules", ".bin", "prisma");

/** Runs `prisma migrate diff … --script`; the CLI opens its adapter even for two datamodels, so it needs a reachable server. */
export function migrateDiffScript(from: string[], toSchema: string, databaseUrl: string): string {
  const result = spawnSync(PRISMA, ["migrate", "diff", ...from, "--to-schema-datamodel", toSchema, "--script"], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  if (result.status !== 0) throw new Error(`prisma migrate diff failed:\n${result.stderr || result.stdout}`);
  return result.stdout.replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/m, "");
}

/** One line per enum, column, constraint and index of the public schema (Prisma's own table left out). */
export async function schemaFacts(databaseUrl: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const facts = new Set<string>();
    const enums = await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname`,
    );
    for (const row of enums.rows) facts.add(`enum ${row.name} (${row.labels.join(", ")})`);
    const columns = await client.query<{
      rel: string;
      col: string;
      type: string;
      notnull: boolean;
      def: string | null;
    }>(
      `SELECT c.relname AS rel, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    for (const row of columns.rows)
      facts.add(
        `column ${row.rel}.${row.col} ${row.type}${row.notnull ? " NOT NULL" : ""}${row.def ? ` DEFAULT ${row.def}` : ""}`,
      );
    const constraints = await client.query<{ rel: string; name: string; kind: string; def: string }>(
      `SELECT conrelid::regclass::text AS rel, conname AS name, contype::text AS kind, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f', 'c') AND conrelid::regclass::text <> '_prisma_migrations'`,
    );
    for (const row of constraints.rows)
      facts.add(`${row.kind === "c" ? "check" : "constraint"} ${row.rel}.${row.name} ${row.def}`);
    const indexes = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    for (const row of indexes.rows)
      facts.add(`${/ WHERE /.test(row.def) ? "partial index" : "index"} ${row.name} ${row.def}`);
    return facts;
  } finally {
    await client.end();
  }
}

// What a migration may add that schema.prisma cannot say (Prisma 6): CHECK constraints and partial
// indexes. Everything else must be the same on both sides.
const MIGRATION_ONLY = /^(check|partial index) /;

/** The differences, as "only in the migrations: …" / "only in schema.prisma: …" lines; empty when none. */
export function compareFacts(migrated: Set<string>, modelled: Set<string>): string[] {
  const onlyMigrated = [...migrated].filter((fact) => !modelled.has(fact) && !MIGRATION_ONLY.test(fact));
  const onlyModelled = [...modelled].filter((fact) => !migrated.has(fact));
  return [
    ...onlyMigrated.map((fact) => `only in the migrations: ${fact}`),
    ...onlyModelled.map((fact) => `only in schema.prisma: ${fact}`),
  ].sort();
}

async function withScratchDatabase<T>(adminUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `schema_drift_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/**
 * Builds a database from prisma/migrations and one from `schema` (default prisma/schema.prisma),
 * both as scratch databases on the server at `adminUrl` (which must allow CREATE DATABASE), and
 * returns their differences.
 */
export async function schemaDrift(adminUrl: string, schema = path.join("prisma", "schema.prisma")): Promise<string[]> {
  return withScratchDatabase(adminUrl, (migratedUrl) =>
    withScratchDatabase(adminUrl, async (modelledUrl) => {
      migrate(migratedUrl);
      const sql = migrateDiffScript(["--from-empty"], schema, modelledUrl);
      const client = new pg.Client({ connectionString: modelledUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
      return compareFacts(await schemaFacts(migratedUrl), await schemaFacts(modelledUrl));
    }),
  );
}
