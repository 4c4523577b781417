import type { z } from "zod";
import type { FieldErrors } from "@/lib/actions/result";

// The same mapping as the action pipeline's, kept here so the ingestion path (also run by the
// benchmark outside Next) does not load the session and auth modules.
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return fieldErrors;
}
