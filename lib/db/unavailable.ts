import "server-only";
import { NextResponse } from "next/server";

// A database that is down or restarting is an outage, not a bug: callers answer 503 with a clear
// message (clients retry; ingestion replays are idempotent) instead of a 500 and a stack trace.

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up / shutting down)
  "08000",
  "08001",
  "08003",
  "08006", // connection exceptions
  "P1001",
  "P1017", // Prisma: can't reach server / server closed the connection
]);

const CONNECTION_TEXT =
  /Connection terminated|connect ECONNREFUSED|terminating connection due to administrator command|the database system is (starting up|shutting down)|Client has encountered a connection error|Connection refused|timeout exceeded when trying to connect/i;

export const DATABASE_UNAVAILABLE_MESSAGE =
  "The database is not reachable right now. Nothing was changed; try again in a moment.";

/** True for errors that mean "PostgreSQL is unreachable", however deep the driver adapter wrapped them. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const record = error as Record<string, unknown>;
  for (const field of ["code", "originalCode", "errno"]) {
    const value = record[field];
    if (typeof value === "string" && CONNECTION_CODES.has(value)) return true;
  }
  for (const field of ["message", "originalMessage"]) {
    const value = record[field];
    if (typeof value === "string" && CONNECTION_TEXT.test(value)) return true;
  }
  // DriverAdapterError keeps the pg error in `cause`; AggregateError (dual-stack connect) in `errors`.
  if (isDatabaseUnavailable(record.cause, depth + 1)) return true;
  const errors = record.errors;
  return Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** The route handlers' answer for an outage. */
export function databaseUnavailableResponse(): NextResponse {
  return NextResponse.json(
    { ok: false, message: DATABASE_UNAVAILABLE_MESSAGE },
    { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } },
  );
}
