import Form from "next/form";
import Link from "next/link";
import { listAuditActions } from "@/lib/audit/queries";
import type { AuditFilters as Filters } from "@/lib/audit/schemas";
import { SelectField, TextField } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";

/** A GET form: applying filters changes the URL, so the view can be shared and bookmarked. */
export async function AuditFilters({ filters }: { filters: Filters }) {
  const actions = await listAuditActions();
  // A filter for an action that no longer occurs still shows as selected.
  const known = filters.action && !actions.includes(filters.action) ? [filters.action, ...actions] : actions;
  return (
    <Form action="/audit" className="grid gap-4 md:grid-cols-3 lg:grid-cols-6" aria-label="Filter the audit log">
      <TextField name="actor" label="Actor email" defaultValue={filters.actor ?? ""} placeholder="any" />
      <SelectField
        name="action"
        label="Action"
        defaultValue={filters.action ?? ""}
        options={[{ value: "", label: "All actions" }, ...known.map((action) => ({ value: action, label: action }))]}
      />
      <TextField name="target" label="Target" defaultValue={filters.target ?? ""} placeholder="id or type" />
      <TextField name="from" label="From (UTC)" type="date" defaultValue={filters.from ?? ""} />
      <TextField name="to" label="To (UTC)" type="date" defaultValue={filters.to ?? ""} />
      <div className="flex items-end gap-2">
        <button type="submit" className={buttonClass("primary")}>
          Apply
        </button>
        <Link href="/audit" className={buttonClass("secondary")}>
          Clear
        </Link>
      </div>
    </Form>
  );
}
