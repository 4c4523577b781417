// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that takes the schema as of the last migration to prisma/schema.prisma, then checks
// that the migrations now build what schema.prisma describes.
// The WASM schema engine cannot diff against a database or a migrations folder (see STACK-NOTES),
// so the schema "as of the last migration" comes from git: prisma/schema.prisma in the commit that
// added that migration (a migration is committed with the schema it was made from).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDiffScript, schemaDrift } from "./lib/schema-drift";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
// Even a datamodel-to-datamodel diff opens the configured adapter, so it needs a reachable
// PostgreSQL (nothing is written to it; the check's scratch databases are dropped).
const databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dir = path.join("prisma", "migrations");
const schema = path.join("prisma", "schema.prisma");

function git(args: string[]): string | null {
  const result = spawnSync("git", args, { encoding: "utf8" });
  return result.status === 0 ? result.stdout : null;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** prisma/schema.prisma as the last migration left it, in a temp file; null when there is no migration yet. */
function schemaOfLastMigration(): string | null {
  const previous = fs
    .readdirSync(dir)
    .filter((entry) => /^\d{14}_/.test(entry))
    .sort()
    .at(-1);
  if (!previous) return null;
  const sqlFile = path.join(dir, previous, "migration.sql");
  const added = git(["log", "--diff-filter=A", "--format=%H", "--", sqlFile])?.trim().split("\n").at(-1);
  if (!added) {
    fail(
      `The last migration, ${previous}, is not committed (or this is not a git checkout), so the schema it was made from is unknown.\n` +
        "Commit it together with the prisma/schema.prisma it was made from, or delete it and run this again to make one migration for both changes.",
    );
  }
  const text =
    git(["show", `${added}:${schema}`]) ??
    fail(`git could not show ${schema} at ${added.slice(0, 12)} (a shallow clone?).`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pc-migration-")), "schema.prisma");
  fs.writeFileSync(file, text);
  return file;
}

const base = schemaOfLastMigration();
let sql: string;
try {
  sql = migrateDiffScript(base ? ["--from-schema-datamodel", base] : ["--from-empty"], schema, databaseUrl);
} catch (error) {
  fail(String((error as Error).message));
}
if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
  console.log("schema.prisma matches the last migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target);
fs.writeFileSync(path.join(target, "migration.sql"), sql);
console.log(`wrote ${target}/migration.sql; checking that the migrations now build schema.prisma…`);

const drift = await schemaDrift(databaseUrl).catch((error: unknown) =>
  fail(`The check could not run: ${(error as Error).message}`),
);
if (drift.length > 0) {
  fail(
    `The migrations do not build schema.prisma yet (was a schema change committed without its migration?):\n  ${drift.join("\n  ")}`,
  );
}
console.log(
  "They do. Review it, add what Prisma cannot express (partial indexes, checks, triggers), then commit it with schema.prisma.",
);
