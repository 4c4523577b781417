import type { ActionResult } from "@/lib/actions/result";

/** The form-level outcome of an action, announced to screen readers. */
export function FormMessage({ state }: { state: ActionResult<unknown> | undefined }) {
  if (!state?.message) return null;
  return (
    <p
      role={state.ok ? "status" : "alert"}
      className={`rounded-md px-3 py-2 text-sm ${state.ok ? "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200" : "bg-red-50 text-red-800 ring-1 ring-red-200"}`}
    >
      {state.message}
    </p>
  );
}
