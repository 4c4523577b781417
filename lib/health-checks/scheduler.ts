import "server-only";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { db } from "@/lib/db/client";
import { createTestRun } from "@/lib/health-checks/run-store";
import { executeTestRun } from "@/lib/health-checks/execute-run";
import { getTestCallSettings } from "@/lib/health-checks/settings";

// The scheduled health check: every instance ticks, but a session-level advisory lock lets only
// one of them check (and run) at a time; "due" is decided from the last scheduled run stored in
// PostgreSQL, so a run is not repeated by the next instance to get the lock.

/** Advisory lock key held for the whole scheduled run (next to the pricing lock's 742_001). */
export const SCHEDULER_LOCK = 742_101;
const TICK_MS = 30_000;

export type TickOutcome = "off" | "not-due" | "busy" | "ran";

export async function runScheduledCheckIfDue(now: Date = new Date()): Promise<TickOutcome> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      SCHEDULER_LOCK,
    ]);
    if (!rows[0]?.locked) return "busy";
    try {
      const { healthCheckIntervalMinutes: interval } = await getTestCallSettings();
      if (!interval) return "off";
      const last = await db.testRun.findFirst({
        where: { trigger: "SCHEDULED" },
        select: { startedAt: true },
        orderBy: { startedAt: "desc" },
      });
      if (last && now.getTime() - last.startedAt.getTime() < interval * 60_000) return "not-due";
      const started = await createTestRun("SCHEDULED", null);
      // A manual run is live: try again on a later tick rather than doubling the calls.
      if (!started.created) return "busy";
      await executeTestRun(started.runId);
      return "ran";
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [SCHEDULER_LOCK]);
    }
  } finally {
    client.release();
  }
}

const state = globalThis as unknown as { healthCheckTimer?: NodeJS.Timeout };

/** Starts this process's ticker once (instrumentation.ts). HEALTH_CHECK_SCHEDULER=off disables it. */
export function startHealthCheckScheduler(): void {
  if (state.healthCheckTimer || process.env.HEALTH_CHECK_SCHEDULER === "off") return;
  let ticking = false;
  state.healthCheckTimer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    runScheduledCheckIfDue()
      .then((outcome) => {
        if (outcome === "ran") logger.info("scheduled health check finished");
      })
      .catch((error: unknown) => logger.error("scheduled health check failed", { error }))
      .finally(() => {
        ticking = false;
      });
  }, TICK_MS);
  // The ticker alone must not keep a process alive (e.g. during shutdown).
  state.healthCheckTimer.unref();
}
