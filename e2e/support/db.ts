import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { e2eScratchDir } from "./paths";

let pool: pg.Pool | undefined;

/** The e2e server's database (written by scripts/e2e-server.ts), for seeding and assertions. */
export function e2eDb(): pg.Pool {
  if (!pool) {
    const { url } = JSON.parse(fs.readFileSync(path.join(e2eScratchDir(), "database.json"), "utf8")) as { url: string };
    pool = new pg.Pool({ connectionString: url, max: 2 });
  }
  return pool;
}

export async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const result = await e2eDb().query<T>(text, values);
  return result.rows;
}
