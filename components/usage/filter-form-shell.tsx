import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { filterControl, filterLabel } from "@/components/usage/catalog-selects";

/**
 * The frame of the spend, latency and usage-log filters: a plain GET form (the view lives in the
 * URL: shareable, works without JavaScript) with the date range first and Apply last.
 */
export function FilterFormShell({
  action,
  from,
  to,
  children,
}: {
  action: string;
  from: string;
  to: string;
  children: ReactNode;
}) {
  return (
    <form
      method="get"
      action={action}
      className="mb-6 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      aria-label="Filters"
    >
      <label className={filterLabel}>
        From
        <input type="date" name="from" defaultValue={from} className={`${filterControl} block`} />
      </label>
      <label className={filterLabel}>
        To
        <input type="date" name="to" defaultValue={to} className={`${filterControl} block`} />
      </label>
      {children}
      <button type="submit" className={buttonClass("secondary")}>
        Apply
      </button>
    </form>
  );
}
