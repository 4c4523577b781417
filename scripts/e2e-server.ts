// Playwright's web server: a fresh migrated database, then the real `npm start` path on E2E_PORT.
// The database URL is written to test-results/e2e-database.json for the specs' seed factories.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/test-database";

const name = process.env.E2E_DB_NAME;
if (!name) throw new Error("E2E_DB_NAME is not set (playwright.config.ts sets it).");
const database = await createTestDatabase("pc_e2e", name);
fs.mkdirSync("test-results", { recursive: true });
fs.writeFileSync(path.join("test-results", "e2e-database.json"), JSON.stringify({ url: database.url }));

const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts", "start"], {
  stdio: ["ignore", "pipe", "inherit"],
  env: { ...process.env, DATABASE_URL: database.url, PORT: process.env.E2E_PORT ?? "3100", ADMIN_EMAIL: "", ADMIN_PASSWORD: "" },
});
// The server log is kept for the secret-leak scan and for debugging failed runs.
const logFile = fs.createWriteStream(path.join("test-results", "e2e-server.log"));
child.stdout?.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  logFile.write(chunk);
});

const shutdown = async () => {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await database.drop().catch(() => undefined);
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
child.on("exit", (code) => process.exit(code ?? 1));
