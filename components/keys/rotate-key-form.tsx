"use client";

import { useActionState } from "react";
import { rotateKey } from "@/app/(console)/providers/[id]/keys/actions";
import { CheckboxField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function RotateKeyForm({ providerId }: { providerId: string }) {
  const [state, action] = useActionState(rotateKey, undefined);
  const errors = state?.fieldErrors ?? {};
  const keep = (field: string, fallback: string) => (state?.ok ? fallback : (state?.values?.[field] ?? fallback));
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Rotate the primary key">
      <input type="hidden" name="providerId" value={providerId} />
      <TextField
        name="label"
        id="rotate-key-label"
        label="Label of the new key"
        required
        errors={errors.label}
        defaultValue={keep("label", "")}
      />
      <TextField
        name="apiKey"
        id="rotate-key-secret"
        label="New API key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        errors={errors.apiKey}
        hint="The console checks it with the provider (a model list call) before switching."
      />
      <TextField
        name="graceDays"
        id="rotate-key-grace"
        label="Grace period for the old key (days)"
        type="number"
        min={0}
        max={30}
        required
        errors={errors.graceDays}
        defaultValue={keep("graceDays", "7")}
        hint="0 revokes the old key immediately; otherwise it keeps working (retiring) until then."
      />
      <TextField
        name="expiresAt"
        id="rotate-key-expires"
        label="New key expires on (optional)"
        type="date"
        errors={errors.expiresAt}
        defaultValue={keep("expiresAt", "")}
      />
      <CheckboxField
        name="saveAnyway"
        id="rotate-key-anyway"
        label="Save anyway if verification fails"
        hint="For providers the console cannot reach from here."
      />
      {errors.saveAnyway ? <p className="text-sm text-red-600">{errors.saveAnyway.join(" ")}</p> : null}
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Verifying…">Verify and rotate</SubmitButton>
    </form>
  );
}
