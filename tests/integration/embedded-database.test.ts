import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";

// The `npm start` path with no DATABASE_URL: a real embedded PostgreSQL whose data survives a
// restart, with migrations applied.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-embedded-"));

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("embedded database", () => {
  it("starts, migrates, keeps data across a restart and stops cleanly", async () => {
    const savedUrl = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    process.env.CONSOLE_DATA_DIR = dataDir;
    process.env.EMBEDDED_PG_PORT = String(56000 + Math.floor(Math.random() * 2000));
    vi.resetModules();
    try {
      const { resolveDatabase } = await import("../../scripts/lib/database");
      const { migrate } = await import("../../scripts/lib/migrate");
      const log = () => undefined;

      const first = await resolveDatabase(log);
      expect(first.embedded).toBe(true);
      expect(migrate(first.url)).toBeGreaterThan(0);
      let client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query(
        "INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), 'persisted', 'openai', 'https://api.openai.com/v1', now())",
      );
      await client.end();
      await first.stop();

      const second = await resolveDatabase(log);
      expect(migrate(second.url)).toBe(0);
      client = new pg.Client({ connectionString: second.url });
      await client.connect();
      const { rows } = await client.query("SELECT name FROM providers");
      await client.end();
      await second.stop();
      expect(rows).toEqual([{ name: "persisted" }]);
    } finally {
      process.env.DATABASE_URL = savedUrl;
      delete process.env.CONSOLE_DATA_DIR;
      delete process.env.EMBEDDED_PG_PORT;
    }
  }, 120_000);
});
