// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that takes the schema as of the last migration to prisma/schema.prisma.
// Each migration folder keeps a copy of the schema it produced (schema.prisma) because the WASM
// schema engine cannot diff against a database or a migrations folder (see STACK-NOTES).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
const dir = path.join("prisma", "migrations");
const previous = fs.readdirSync(dir).filter((entry) => /^\d{14}_/.test(entry)).sort().at(-1);
const from = previous ? ["--from-schema-datamodel", path.join(dir, previous, "schema.prisma")] : ["--from-empty"];
const result = spawnSync(
  path.resolve("node_modules/.bin/prisma"),
  ["migrate", "diff", ...from, "--to-schema-datamodel", path.join("prisma", "schema.prisma"), "--script"],
  // Even a datamodel-to-datamodel diff opens the configured adapter, so it needs a reachable
  // PostgreSQL (nothing is written to it): the machine's local server unless DATABASE_URL is set.
  { encoding: "utf8", env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" } },
);
if (result.status !== 0) {
  console.error(result.stderr || result.stdout);
  process.exit(1);
}
const sql = result.stdout.replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/m, "");
if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
  console.log("schema.prisma matches the last migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target);
fs.writeFileSync(path.join(target, "migration.sql"), sql);
fs.copyFileSync(path.join("prisma", "schema.prisma"), path.join(target, "schema.prisma"));
console.log(`wrote ${target}/migration.sql — review it, add what Prisma cannot express (partial indexes, triggers), then commit.`);
