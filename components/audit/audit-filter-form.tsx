"use client";

import Form from "next/form";
import Link from "@/components/ui/link";
import { SelectField, TextField } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";

export type AuditFilterValues = { actor?: string; action?: string; target?: string; from?: string; to?: string };

/** A GET form: applying filters changes the URL, so the view can be shared and bookmarked. */
export function AuditFilterForm({ values, actions }: { values: AuditFilterValues; actions: string[] }) {
  return (
    <Form action="/audit" className="grid gap-4 md:grid-cols-3 lg:grid-cols-6" aria-label="Filter the audit log">
      <TextField name="actor" label="Actor email" defaultValue={values.actor ?? ""} placeholder="any" />
      <SelectField
        name="action"
        label="Action"
        defaultValue={values.action ?? ""}
        options={[{ value: "", label: "All actions" }, ...actions.map((action) => ({ value: action, label: action }))]}
      />
      <TextField name="target" label="Target" defaultValue={values.target ?? ""} placeholder="id or type" />
      <TextField name="from" label="From (UTC)" type="date" defaultValue={values.from ?? ""} />
      <TextField name="to" label="To (UTC)" type="date" defaultValue={values.to ?? ""} />
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
