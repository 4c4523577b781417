import { spawnSync } from "node:child_process";
import path from "node:path";

/** Applies pending migrations with the Prisma CLI (WASM schema engine, see prisma.config.ts). */
export function migrate(databaseUrl: string): number {
  const prisma = path.resolve("node_modules", ".bin", "prisma");
  const result = spawnSync(prisma, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`Applying migrations failed:\n${result.stdout}\n${result.stderr}`);
  }
  // Prisma lists each applied migration's folder ("└─ <name>/") and, under it, its migration.sql.
  return (result.stdout.match(/^\s+└─ \S+\/$/gm) ?? []).length;
}
