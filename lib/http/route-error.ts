import "server-only";
import { NextResponse } from "next/server";
import { DomainError, HTTP_STATUS } from "@/lib/errors/domain-error";
import { databaseUnavailableResponse, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { logger } from "@/lib/log/logger";

/**
 * The one answer a console route handler gives for a thrown error: expected ones (DomainError)
 * with their message and status, a database outage as 503, anything else logged (redacted) and
 * answered generically.
 */
export function routeErrorResponse(error: unknown, what: { log: string; message: string }): Response {
  if (error instanceof DomainError) return NextResponse.json({ ok: false, message: error.message }, { status: HTTP_STATUS[error.code] });
  if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
  logger.error(what.log, { error });
  return NextResponse.json({ ok: false, message: `${what.message} The error was logged; try again.` }, { status: 500 });
}
