import type { FieldErrors } from "@/lib/errors/domain-error";

// The one result shape every server action and route handler answers with.
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
