// Next.js calls register() once per server process at start. The scheduled health check runs in
// the Node.js runtime only (it needs the pg pool); the import is dynamic so the Edge build never
// sees it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Before the first request: forwarding headers count only from configured proxies.
    const { installForwardedHeaderGuard } = await import("@/lib/request/forwarding-guard");
    installForwardedHeaderGuard();
  }
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startHealthCheckScheduler } = await import("@/lib/health-checks/scheduler");
  startHealthCheckScheduler();
  // Key expiry and other sweeps, once across instances (advisory locks, lib/jobs/run-exclusive.ts).
  const { startMaintenanceJobs } = await import("@/lib/jobs/maintenance");
  startMaintenanceJobs();
}
