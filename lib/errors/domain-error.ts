// Errors shared by server actions, route handlers and the code both call: kept apart from either
// pipeline so a library module (or the ingestion path run outside Next) loads neither.

/** Messages per field, keyed by the field's dotted path ("_form" for the whole input). */
export type FieldErrors = Record<string, string[] | undefined>;

/** An expected failure: its message is safe to show the person who caused it. */
export class DomainError extends Error {
  constructor(
    public readonly code: "NOT_FOUND" | "FORBIDDEN" | "UNAUTHENTICATED" | "CONFLICT" | "INVALID" | "UNAVAILABLE",
    message: string,
    public readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} was not found.`);
export const conflict = (message: string, fieldErrors?: FieldErrors) =>
  new DomainError("CONFLICT", message, fieldErrors);

export const HTTP_STATUS: Record<DomainError["code"], number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  INVALID: 400,
  UNAVAILABLE: 503,
};
