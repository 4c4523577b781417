"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { runRetention, setRetention } from "@/app/(console)/usage/actions";

export function RetentionSettingForm({ retentionDays }: { retentionDays: number | null }) {
  const [state, action] = useActionState(setRetention, undefined);
  return (
    <form action={action} className="space-y-4">
      <TextField
        name="retentionDays"
        label="Keep raw records for (days)"
        inputMode="numeric"
        placeholder="forever"
        hint="Empty keeps raw records forever. Applied by npm run usage:retention (e.g. from a daily cron) or the button below."
        errors={state?.fieldErrors?.retentionDays}
        defaultValue={state?.values?.retentionDays ?? (retentionDays === null ? "" : String(retentionDays))}
      />
      <SubmitButton pendingLabel="Saving…">Save retention</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function RunRetentionForm({ defaultDays }: { defaultDays: number | null }) {
  const [state, action] = useActionState(runRetention, undefined);
  return (
    <form action={action} className="space-y-4">
      <TextField
        name="olderThanDays"
        label="Delete raw records older than (days)"
        inputMode="numeric"
        required
        errors={state?.fieldErrors?.olderThanDays}
        defaultValue={state?.values?.olderThanDays ?? (defaultDays === null ? "" : String(defaultDays))}
      />
      <SubmitButton variant="danger" pendingLabel="Deleting…">
        Delete old raw records now
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
