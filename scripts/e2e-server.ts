// Playwright's web server: a fresh migrated database, then the real `npm start` path on E2E_PORT.
// The database URL goes to <scratch>/database.json for the specs' seed factories, and the server's
// output to <scratch>/server.log for the secret-leak scan.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/test-database";
import { e2eScratchDir } from "../e2e/support/paths";

const name = process.env.E2E_DB_NAME;
if (!name) throw new Error("E2E_DB_NAME is not set (playwright.config.ts sets it).");
const database = await createTestDatabase("pc_e2e", name);
const scratch = e2eScratchDir();
fs.mkdirSync(scratch, { recursive: true });
fs.writeFileSync(path.join(scratch, "database.json"), JSON.stringify({ url: database.url }));

const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts", "start"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: process.env.E2E_PORT ?? "3100",
    // Beside the console, clear of other runs' consoles (E2E_PORT + 1000).
    GATEWAY_PORT: String(Number(process.env.E2E_PORT ?? 3100) + 1000),
    ADMIN_EMAIL: "",
    ADMIN_PASSWORD: "",
  },
});
// The server log is kept for the secret-leak scan and for debugging failed runs.
const logFile = fs.createWriteStream(path.join(scratch, "server.log"));
child.stdout?.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  logFile.write(chunk);
});
child.stderr?.on("data", (chunk: Buffer) => {
  process.stderr.write(chunk);
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
