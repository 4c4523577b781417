import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { currentActor, type Actor } from "@/lib/auth/session";
import { can, type Capability } from "@/lib/auth/roles";
import type { ActionResult } from "@/lib/actions/result";
import { DomainError } from "@/lib/errors/domain-error";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import { formDataToObject } from "@/lib/actions/form-data";
import { logger } from "@/lib/log/logger";
import { checkActionOrigin } from "@/lib/actions/origin-check";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/lib/db/unavailable";

type Handler<TSchema extends z.ZodType, TData> = (input: z.output<TSchema>, actor: Actor) => Promise<TData | void>;

export type ActionSpec<TSchema extends z.ZodType, TData> = {
  /** A name for logs, e.g. "providers.create". */
  name: string;
  capability: Capability;
  schema: TSchema;
  handler: Handler<TSchema, TData>;
  /** Paths to revalidate after success (skipped outside a Next request, e.g. in tests). */
  revalidate?: string[] | ((input: z.output<TSchema>) => string[]);
  successMessage?: string | ((data: TData | void) => string);
  /** Submitted fields never echoed back on failure (fields named like passwords/keys never are). */
  secretFields?: readonly string[];
};

// Outside a Next request (integration tests call executeAction directly) there is no cache to
// invalidate and revalidatePath throws an invariant error; the change itself has committed.
function revalidate(path: string): void {
  try {
    revalidatePath(path);
  } catch (error) {
    if (process.env.NEXT_RUNTIME) throw error;
  }
}

/** Maps any thrown value to the one result shape: expected errors speak, others are logged. */
export function errorResult(name: string, error: unknown): ActionResult<never> {
  // Prisma's unique-violation code: a race the handler's own pre-check lost. Handlers map the
  // field-specific ones; anything left is still an expected conflict, not a 500.
  if (error && typeof error === "object" && "code" in error && error.code === "P2002") {
    return { ok: false, message: "That conflicts with an existing record. Reload and try again." };
  }
  if (error instanceof DomainError) {
    return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
  }
  // Next's redirect()/notFound() work by throwing; they must pass through.
  if (
    error &&
    typeof error === "object" &&
    "digest" in error &&
    typeof error.digest === "string" &&
    error.digest.startsWith("NEXT_")
  ) {
    throw error;
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn("action failed: database unavailable", { action: name, error });
    return { ok: false, message: DATABASE_UNAVAILABLE_MESSAGE };
  }
  logger.error("action failed", { action: name, error });
  return { ok: false, message: "Something went wrong. The error was logged; try again." };
}

/**
 * The pipeline every server action goes through: capability → zod → handler (which writes its
 * audit event inside its own transaction) → revalidate → one result shape. Takes the actor
 * explicitly so integration tests can drive every spec with every role against a real database.
 */
export async function executeAction<TSchema extends z.ZodType, TData>(
  spec: ActionSpec<TSchema, TData>,
  actor: Actor | null,
  input: FormData | unknown,
): Promise<ActionResult<TData>> {
  if (!actor)
    return errorResult(spec.name, new DomainError("UNAUTHENTICATED", "Your session has ended. Sign in again."));
  if (!can(actor.role, spec.capability))
    return errorResult(spec.name, new DomainError("FORBIDDEN", "Your role does not allow this action."));
  return validateAndRun(spec, input, (data) => spec.handler(data, actor));
}

/** The part of the pipeline after admission: text check → zod → handler → revalidate → one result shape. */
async function validateAndRun<TSchema extends z.ZodType, TData>(
  spec: Omit<ActionSpec<TSchema, TData>, "capability" | "handler">,
  input: FormData | unknown,
  handler: (input: z.output<TSchema>) => Promise<TData | void>,
): Promise<ActionResult<TData>> {
  let raw: unknown;
  try {
    raw = input instanceof FormData ? formDataToObject(input) : input;
    const badTextFields = fieldsWithUnstorableText(raw);
    if (badTextFields.length > 0) {
      const fieldErrors = Object.fromEntries(
        badTextFields.map((field) => [field, ["Remove the NUL or broken (unpaired surrogate) characters."]]),
      );
      return {
        ok: false,
        message: "Check the highlighted fields.",
        fieldErrors,
        values: echoValues(raw, spec.secretFields),
      };
    }
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        message: "Check the highlighted fields.",
        fieldErrors: zodFieldErrors(parsed.error),
        values: echoValues(raw, spec.secretFields),
      };
    }
    const data = await handler(parsed.data);
    const paths = typeof spec.revalidate === "function" ? spec.revalidate(parsed.data) : (spec.revalidate ?? []);
    for (const path of paths) revalidate(path);
    const message = typeof spec.successMessage === "function" ? spec.successMessage(data) : spec.successMessage;
    return { ok: true, message, data: data ?? undefined };
  } catch (error) {
    const result = errorResult(spec.name, error);
    return raw === undefined ? result : { ...result, values: echoValues(raw, spec.secretFields) };
  }
}

/**
 * An action anyone may post, without a session: only first-run setup. `admit` stands in for the
 * session and role checks and runs first, so a refusal (setup done, too many attempts) costs no
 * parsing and no handler work such as a password hash.
 */
export type PublicActionSpec<TSchema extends z.ZodType, TData> = Omit<
  ActionSpec<TSchema, TData>,
  "capability" | "handler"
> & {
  /** Null to go on, or the refusal message. */
  admit: () => Promise<string | null>;
  handler: (input: z.output<TSchema>) => Promise<TData | void>;
};

export async function executePublicAction<TSchema extends z.ZodType, TData>(
  spec: PublicActionSpec<TSchema, TData>,
  input: FormData | unknown,
): Promise<ActionResult<TData>> {
  let refused: string | null;
  try {
    refused = await spec.admit();
  } catch (error) {
    return errorResult(spec.name, error);
  }
  if (refused) return { ok: false, message: refused };
  return validateAndRun(spec, input, spec.handler);
}

// PostgreSQL text cannot store U+0000, and an unpaired UTF-16 surrogate is not UTF-8 at all (the
// Prisma engine fails on it): refused here as a field error for every action, rather than surfacing
// as a database error from whichever text column a handler happens to write.
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fieldsWithUnstorableText(raw: unknown, path = "", depth = 0): string[] {
  if (typeof raw === "string") return UNSTORABLE_TEXT.test(raw) ? [path || "_form"] : [];
  if (!raw || typeof raw !== "object" || depth > 4) return [];
  return Object.entries(raw).flatMap(([key, value]) =>
    fieldsWithUnstorableText(value, path ? `${path}.${key}` : key, depth + 1),
  );
}

const SECRET_NAME = /pass(word)?|secret|token|key$|apiKey/i;

function echoValues(raw: unknown, secretFields: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  if (!raw || typeof raw !== "object") return values;
  for (const [field, value] of Object.entries(raw)) {
    if (typeof value !== "string" || secretFields.includes(field) || SECRET_NAME.test(field)) continue;
    values[field] = value.slice(0, 10_000);
  }
  return values;
}

/** Turns a spec into a server action for useActionState: `(previous, formData) => result`. */
export function defineAction<TSchema extends z.ZodType, TData = undefined>(spec: ActionSpec<TSchema, TData>) {
  return async function action(
    _previous: ActionResult<TData> | undefined,
    input: FormData | unknown,
  ): Promise<ActionResult<TData>> {
    let actor: Actor | null;
    try {
      const refused = await checkActionOrigin();
      if (refused) {
        logger.warn("server action refused: origin", { action: spec.name });
        return { ok: false, message: refused };
      }
      actor = await currentActor();
    } catch (error) {
      return errorResult(spec.name, error);
    }
    return executeAction(spec, actor, input);
  };
}

/** Turns a public spec into a server action for useActionState: the origin check, then executePublicAction. */
export function definePublicAction<TSchema extends z.ZodType, TData = undefined>(
  spec: PublicActionSpec<TSchema, TData>,
) {
  return async function action(
    _previous: ActionResult<TData> | undefined,
    input: FormData | unknown,
  ): Promise<ActionResult<TData>> {
    try {
      const refused = await checkActionOrigin();
      if (refused) {
        logger.warn("server action refused: origin", { action: spec.name });
        return { ok: false, message: refused };
      }
    } catch (error) {
      return errorResult(spec.name, error);
    }
    return executePublicAction(spec, input);
  };
}
