"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { FileTextField } from "@/components/evals/file-text-field";
import { createDataset, importVersion } from "@/app/(console)/evals/actions";

const FORMATS = [
  { value: "jsonl", label: "JSONL" },
  { value: "csv", label: "CSV" },
];

export function CreateDatasetForm() {
  const [state, action] = useActionState(createDataset, undefined);
  return (
    <form action={action} className="space-y-4">
      <TextField
        name="name"
        label="Name"
        required
        errors={state?.fieldErrors?.name}
        defaultValue={state?.ok ? "" : (state?.values?.name ?? "")}
      />
      <TextField
        name="description"
        label="Description"
        errors={state?.fieldErrors?.description}
        defaultValue={state?.ok ? "" : (state?.values?.description ?? "")}
      />
      <SelectField name="format" label="Format" options={FORMATS} errors={state?.fieldErrors?.format} />
      <FileTextField errors={state?.fieldErrors?.content} />
      <SubmitButton pendingLabel="Importing…">Import dataset</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function ImportVersionForm({ datasetId }: { datasetId: string }) {
  const [state, action] = useActionState(importVersion, undefined);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="datasetId" value={datasetId} />
      <SelectField name="format" label="Format" options={FORMATS} errors={state?.fieldErrors?.format} />
      <FileTextField errors={state?.fieldErrors?.content} />
      <TextField name="comment" label="Comment" errors={state?.fieldErrors?.comment} />
      <SubmitButton pendingLabel="Importing…">Replace cases (new version)</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
