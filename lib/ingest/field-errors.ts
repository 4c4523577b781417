// Re-exported while other branches still import it from here; the shared home is lib/errors.
export { zodFieldErrors as fieldErrorsOf } from "@/lib/errors/field-errors";
