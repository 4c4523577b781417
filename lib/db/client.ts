import "server-only";
import { Pool } from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log/logger";

// One client per process; dev hot reloads would otherwise open a new pool on every edit.
const globalForDb = globalThis as unknown as { prisma?: PrismaClient; pool?: Pool };

function createPool(): Pool {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the console with `npm start`, which provides one.");
  }
  const pool = new Pool({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle client's error (e.g. the database restarting) must not crash the server.
  pool.on("error", (error) => logger.error("database pool error", { error }));
  return pool;
}

export const pool: Pool = globalForDb.pool ?? createPool();
export const db: PrismaClient = globalForDb.prisma ?? new PrismaClient({ adapter: new PrismaPg(pool) });

if (process.env.NODE_ENV !== "production") {
  globalForDb.pool = pool;
  globalForDb.prisma = db;
}
