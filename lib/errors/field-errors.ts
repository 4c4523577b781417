import type { z } from "zod";
import type { FieldErrors } from "@/lib/errors/domain-error";

/** A zod error as field errors: one entry per dotted path, "_form" for the input as a whole. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return fieldErrors;
}
