// The one result shape every server action and route handler answers with.
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<TData = undefined> = {
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  data?: TData;
  /**
   * The submitted text fields, echoed on failure so a form can keep what the person typed
   * (React resets a form after its action). Secret fields are never echoed.
   */
  values?: Record<string, string>;
};

export const initialActionResult: ActionResult = { ok: false };

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
export const conflict = (message: string, fieldErrors?: FieldErrors) => new DomainError("CONFLICT", message, fieldErrors);

export const HTTP_STATUS: Record<DomainError["code"], number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  INVALID: 400,
  UNAVAILABLE: 503,
};
