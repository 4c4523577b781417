// Next.js calls register() once per server process at start. The scheduled health check runs in
// the Node.js runtime only (it needs the pg pool); the import is dynamic so the Edge build never
// sees it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Before the first request: forwarding headers count only from configured proxies.
    const { installForwardedHeaderGuard } = await import("@/lib/request/forwarding-guard");
    installForwardedHeaderGuard();
    // A bad SSO or password sign-in setting stops the server here, at start, with the variable's
    // name, rather than failing the first person who signs in.
    if (process.env.NEXT_PHASE !== "phase-production-build") {
      const { signInSettings } = await import("@/lib/auth/sso-config");
      try {
        signInSettings();
      } catch (error) {
        console.error(`[console] ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      }
    }
  }
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startHealthCheckScheduler } = await import("@/lib/health-checks/scheduler");
  startHealthCheckScheduler();
  // Key expiry and other sweeps, once across instances (advisory locks, lib/jobs/run-exclusive.ts).
  const { startMaintenanceJobs } = await import("@/lib/jobs/maintenance");
  startMaintenanceJobs();
  // Webhook deliveries from the notification outbox, one instance at a time (advisory lock).
  const { startNotificationWorker } = await import("@/lib/notifications/deliver");
  startNotificationWorker();
  // Evaluation runs: every instance claims cases from the durable queue in PostgreSQL (lib/evals).
  const { startEvalWorker } = await import("@/lib/evals/worker");
  startEvalWorker();
}
