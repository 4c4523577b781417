"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { ShownOnce } from "@/components/ui/shown-once";
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
        <ShownOnce label={`Token for ${created.name} (shown once):`} value={created.token} testId="new-ingest-token" />
      ) : null}
    </form>
  );
}
