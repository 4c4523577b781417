// The notification delivery worker on its own, outside Next.js (the console runs the same ticker
// from instrumentation.ts): `tsx --conditions=react-server scripts/notifications-worker.ts`. Env:
// DATABASE_URL, CONSOLE_MASTER_KEYS, NOTIFY_WORKER_INTERVAL_MS (default 5000), NOTIFY_RETRY_BASE_MS.
// Tests start it as a child process and SIGKILL it mid-delivery. Prints one "started" line.
// With --budgets-once it runs the budget threshold check once, prints how many events it wrote
// and exits (tests run two at once to show each threshold fires once across processes).
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { runDeliveryWorker } from "@/lib/notifications/deliver";
import { checkBudgetThresholds } from "@/lib/notifications/budget-thresholds";

const intervalMs = Math.max(10, Number(process.env.NOTIFY_WORKER_INTERVAL_MS ?? 5_000) || 5_000);
let stopping = false;
let timer: NodeJS.Timeout | undefined;

async function tick(): Promise<void> {
  try {
    await runDeliveryWorker();
  } catch (error) {
    logger.error("notification worker failed", { error });
  }
  if (!stopping) timer = setTimeout(() => void tick(), intervalMs);
}

async function stop(): Promise<void> {
  stopping = true;
  if (timer) clearTimeout(timer);
  await pool.end().catch(() => undefined);
  process.exit(0);
}

if (process.argv.includes("--budgets-once")) {
  const written = await checkBudgetThresholds();
  process.stdout.write(`[notifications] budget events written: ${written}\n`);
  await pool.end();
  process.exit(0);
}

process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.stdout.write(`[notifications] worker started (pid ${process.pid})\n`);
void tick();
