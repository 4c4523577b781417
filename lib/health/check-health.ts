import "server-only";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

export type HealthReport = { status: "ok" | "degraded" | "error"; reason?: string; details?: Record<string, unknown> };

type HealthCheck = () => Promise<Record<string, unknown> | null>;

// Later features (e.g. undecryptable secrets) register extra checks that can degrade the report.
const extraChecks: { name: string; run: HealthCheck }[] = [];

export function registerHealthCheck(name: string, run: HealthCheck): void {
  if (!extraChecks.some((check) => check.name === name)) extraChecks.push({ name, run });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(): Promise<HealthReport> {
  try {
    // Plain pg, not the ORM: polled every few seconds, and the ORM costs ~1 ms of CPU per query.
    await withTimeout(pool.query("SELECT 1"), 3000);
  } catch (error) {
    logger.warn("health: database unreachable", { error });
    return { status: "error", reason: "The database is not answering." };
  }
  const details: Record<string, unknown> = {};
  for (const check of extraChecks) {
    try {
      const problem = await check.run();
      if (problem) details[check.name] = problem;
    } catch (error) {
      logger.warn("health: check failed", { check: check.name, error });
      details[check.name] = { error: "check failed" };
    }
  }
  return Object.keys(details).length ? { status: "degraded", details } : { status: "ok" };
}
