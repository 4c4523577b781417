import "server-only";
import { logger } from "@/lib/log/logger";
import { runExclusive } from "@/lib/jobs/run-exclusive";
import { expireKeys } from "@/lib/keys/expire-keys";
import { pruneGatewayLeases } from "@/lib/gateway/prune-leases";
import { checkBudgetThresholds } from "@/lib/notifications/budget-thresholds";
import { checkErrorRates } from "@/lib/notifications/error-rate";
import { checkKeyExpiry } from "@/lib/notifications/key-expiry";
import { checkSpendAnomalies } from "@/lib/notifications/spend-anomaly";
import { pruneNotificationOutbox } from "@/lib/notifications/prune-outbox";
import { announceUndecryptableSecrets } from "@/lib/crypto/secrets-health";
import { pollFineTuneJobs } from "@/lib/fine-tuning/jobs";

// Periodic maintenance that must happen once across instances, whatever their number: applying
// due key expiries (retiring keys past their grace period, expired keys) and pruning gateway leases
// left by instances that died. Each job runs under
// runExclusive, so two instances ticking together do the work once.

const TICK_MS = 60_000;

export const maintenanceJobs: { name: string; run: () => Promise<unknown> }[] = [
  { name: "keys.expire", run: () => expireKeys() },
  { name: "gateway.prune-leases", run: () => pruneGatewayLeases() },
  // Condition checks writing events into the notification outbox (delivered by lib/notifications/deliver.ts).
  { name: "notifications.budget-thresholds", run: () => checkBudgetThresholds() },
  { name: "notifications.key-expiry", run: () => checkKeyExpiry() },
  { name: "notifications.error-rate", run: () => checkErrorRates() },
  { name: "notifications.spend-anomaly", run: () => checkSpendAnomalies() },
  { name: "notifications.undecryptable-secrets", run: () => announceUndecryptableSecrets() },
  // Old events and their delivery log (lib/notifications/prune-outbox.ts: kept while a condition may still see them).
  { name: "notifications.prune-outbox", run: () => pruneNotificationOutbox() },
  // Fine-tuning jobs' status and events from their providers; training cost into the ledger (lib/fine-tuning/jobs.ts).
  { name: "fine-tuning.poll", run: () => pollFineTuneJobs() },
];

/** One tick: every job, each under its own advisory lock. Returns which ran here. */
export async function runMaintenanceTick(): Promise<Record<string, boolean>> {
  const ran: Record<string, boolean> = {};
  for (const job of maintenanceJobs) {
    try {
      ran[job.name] = (await runExclusive(job.name, job.run)).ran;
    } catch (error) {
      ran[job.name] = false;
      logger.error("maintenance job failed", { job: job.name, error });
    }
  }
  return ran;
}

const state = globalThis as unknown as { maintenanceTimer?: NodeJS.Timeout };

/** Starts this process's maintenance ticker once (instrumentation.ts). MAINTENANCE_JOBS=off disables it. */
export function startMaintenanceJobs(): void {
  if (state.maintenanceTimer || process.env.MAINTENANCE_JOBS === "off") return;
  let ticking = false;
  state.maintenanceTimer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void runMaintenanceTick().finally(() => {
      ticking = false;
    });
  }, TICK_MS);
  state.maintenanceTimer.unref();
}
