import { defineConfig, devices } from "@playwright/test";
import { E2E_MASTER_KEYS } from "./e2e/support/master-keys";

const port = Number(process.env.E2E_PORT ?? 3100);
// Set once in the main process; workers inherit it, so every process names the same database.
process.env.E2E_DB_NAME ??= `pc_e2e_${Date.now().toString(36)}_${process.pid}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: `test-results/e2e-${port}`,
  // A committed test.only would silently run one test and pass the suite.
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: "tsx scripts/e2e-server.ts",
    url: `http://localhost:${port}/api/health`,
    // Includes a build when sources changed, which takes minutes on a busy 2-core machine.
    timeout: 900_000,
    reuseExistingServer: false,
    env: {
      E2E_PORT: String(port),
      CONSOLE_MASTER_KEYS: E2E_MASTER_KEYS,
      NEXTAUTH_SECRET: "e2e-secret-not-for-production",
      EGRESS_ALLOWED_NETWORKS: "127.0.0.0/8,::1/128",
    },
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
