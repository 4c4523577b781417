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

let realPool: Pool | undefined;
let realDb: PrismaClient | undefined;

function getPool(): Pool {
  realPool ??= globalForDb.pool ?? createPool();
  if (process.env.NODE_ENV !== "production") globalForDb.pool = realPool;
  return realPool;
}

function getDb(): PrismaClient {
  realDb ??= globalForDb.prisma ?? new PrismaClient({ adapter: new PrismaPg(getPool()) });
  if (process.env.NODE_ENV !== "production") globalForDb.prisma = realDb;
  return realDb;
}

// Created on first use, not on import: `next build` loads every route module to collect its
// configuration and has neither a database nor DATABASE_URL (a Docker image build, CI).
function lazy<T extends object>(create: () => T): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const real = create();
      const value: unknown = Reflect.get(real, property, real);
      return typeof value === "function" ? value.bind(real) : value;
    },
    set: (_target, property, value) => Reflect.set(create(), property, value),
    has: (_target, property) => Reflect.has(create(), property),
  });
}

export const pool: Pool = lazy(getPool);
export const db: PrismaClient = lazy(getDb);
