"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { createIngestToken } from "@/app/(console)/usage/tokens/actions";

export function CreateIngestTokenForm() {
  const [state, action] = useActionState(createIngestToken, undefined);
  const created = state?.ok ? state.data : undefined;
  return (
    <form action={action} className="space-y-4">
      <TextField
        name="name"
        label="Name"
        placeholder="checkout-service"
        required
        errors={state?.fieldErrors?.name}
        defaultValue={state?.ok ? "" : (state?.values?.name ?? "")}
      />
      <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      <FormMessage state={state} />
      {created ? (
        <div className="space-y-1 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
          <p className="text-sm font-medium text-amber-900">Token for {created.name} (shown once):</p>
          <code
            data-testid="new-ingest-token"
            className="block break-all rounded bg-white px-2 py-1 text-xs text-slate-900 ring-1 ring-amber-200"
          >
            {created.token}
          </code>
        </div>
      ) : null}
    </form>
  );
}
