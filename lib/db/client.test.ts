import { afterEach, describe, expect, it, vi } from "vitest";

// `next build` imports every route module, and through it this one, with no DATABASE_URL.
describe("database client", () => {
  const saved = process.env.DATABASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    delete (globalThis as { pool?: unknown }).pool;
    delete (globalThis as { prisma?: unknown }).prisma;
    vi.resetModules();
  });

  it("imports without DATABASE_URL and refuses only when first used", async () => {
    delete process.env.DATABASE_URL;
    const { pool, db } = await import("./client");
    expect(() => pool.query).toThrow("DATABASE_URL is not set");
    expect(() => db.user).toThrow("DATABASE_URL is not set");
  });

  it("creates one pool on first use, from the DATABASE_URL set by then", async () => {
    delete process.env.DATABASE_URL;
    const { pool } = await import("./client");
    process.env.DATABASE_URL = "postgresql://lazy@127.0.0.1:1/none";
    expect(pool.options.connectionString).toBe("postgresql://lazy@127.0.0.1:1/none");
    expect(typeof pool.query).toBe("function");
    expect(pool.totalCount).toBe(0);
    await pool.end();
  });
});
