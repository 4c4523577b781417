"use client";

import { useActionState } from "react";
import { addKey } from "@/app/(console)/providers/[id]/keys/actions";
import { CheckboxField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

// The key field is write-only: it has no defaultValue, the action never echoes it, and React
// resets the form after every submission, so it comes back empty even after an error.
export function AddKeyForm({ providerId }: { providerId: string }) {
  const [state, action] = useActionState(addKey, undefined);
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Add a key">
      <input type="hidden" name="providerId" value={providerId} />
      <TextField
        name="label"
        id="add-key-label"
        label="Label"
        required
        errors={errors.label}
        defaultValue={state?.ok ? "" : (state?.values?.label ?? "")}
      />
      <TextField
        name="apiKey"
        id="add-key-secret"
        label="API key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        errors={errors.apiKey}
        hint="Stored encrypted; only the last 4 characters are shown afterwards."
      />
      <TextField
        name="expiresAt"
        id="add-key-expires"
        label="Expires on (optional)"
        type="date"
        errors={errors.expiresAt}
        defaultValue={state?.ok ? "" : (state?.values?.expiresAt ?? "")}
      />
      <CheckboxField
        name="makePrimary"
        id="add-key-primary"
        label="Make this the primary key"
        hint="The first key of a provider always becomes primary."
      />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Adding…">Add key</SubmitButton>
    </form>
  );
}
