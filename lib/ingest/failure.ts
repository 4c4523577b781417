import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/lib/db/unavailable";

// What POST /api/v1/usage answers when storing a batch fails. 503 (retry) only for outages and
// for PostgreSQL errors that a replay can get past (serialization, deadlock, lock or statement
// timeout, exhausted resources): a client that retries on 503 must not loop forever on a batch
// that fails the same way every time. Anything else is our bug: 500, and the client is told so.

const TRANSIENT_CODES = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available
  "57014", // query_canceled (statement_timeout)
  "53000",
  "53100",
  "53200",
  "53300", // insufficient resources, disk full, out of memory, too many connections
]);

function hasTransientCode(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const record = error as Record<string, unknown>;
  for (const field of ["code", "originalCode"]) {
    const value = record[field];
    if (typeof value === "string" && TRANSIENT_CODES.has(value)) return true;
  }
  return hasTransientCode(record.cause, depth + 1);
}

export type IngestFailure = { status: 500 | 503; message: string; headers?: Record<string, string>; outage: boolean };

export function classifyIngestFailure(error: unknown): IngestFailure {
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      message: `${DATABASE_UNAVAILABLE_MESSAGE} Retry the batch: replays are safe.`,
      headers: { "Retry-After": "5" },
      outage: true,
    };
  }
  if (hasTransientCode(error)) {
    return {
      status: 503,
      message: "The database was too busy to store the batch; nothing from it was saved. Retry it: replays are safe.",
      headers: { "Retry-After": "2" },
      outage: true,
    };
  }
  return {
    status: 500,
    message:
      "The batch could not be stored because of an error in the console (logged with this request's id); nothing from it was saved. Retrying the same batch will fail the same way: report it.",
    outage: false,
  };
}
