import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The CLI checks that its native engines exist before any command and otherwise downloads them.
// With the WASM schema engine and the driver adapter neither engine is used, so any existing path
// stops the download (see shared/STACK-NOTES.md).
const here = fileURLToPath(import.meta.url);
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= here;
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= here;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
