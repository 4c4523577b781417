import "server-only";
import { NextResponse } from "next/server";
import { DomainError, HTTP_STATUS, type FieldErrors } from "@/lib/errors/domain-error";
import { databaseUnavailableResponse, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { logger } from "@/lib/log/logger";

/** The one error answer of every console route handler: { ok: false, message, fieldErrors? }. */
export function routeError(
  status: number,
  message: string,
  fieldErrors?: FieldErrors,
  headers?: HeadersInit,
): Response {
  const body = fieldErrors ? { ok: false, message, fieldErrors } : { ok: false, message };
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * The answer for a thrown error: expected ones (DomainError) with their message and status, a
 * database outage as 503, anything else logged (redacted) and answered generically.
 */
export function routeErrorResponse(error: unknown, what: { log: string; message: string }): Response {
  if (error instanceof DomainError) return routeError(HTTP_STATUS[error.code], error.message, error.fieldErrors);
  if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
  logger.error(what.log, { error });
  return routeError(500, `${what.message} The error was logged; try again.`);
}
