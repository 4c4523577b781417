"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { createChannel } from "@/app/(console)/notifications/actions";

export function CreateChannelForm() {
  const [state, action] = useActionState(createChannel, undefined);
  const created = state?.ok ? state.data : undefined;
  return (
    <form action={action} className="space-y-4">
      <TextField
        name="name"
        label="Name"
        placeholder="finance-alerts"
        required
        errors={state?.fieldErrors?.name}
        defaultValue={state?.ok ? "" : (state?.values?.name ?? "")}
      />
      <TextField
        name="url"
        label="Webhook URL"
        type="url"
        placeholder="https://hooks.example.com/console"
        required
        hint="The console's own address, link-local and cloud metadata addresses are refused."
        errors={state?.fieldErrors?.url}
        defaultValue={state?.ok ? "" : (state?.values?.url ?? "")}
      />
      <SelectField
        name="format"
        label="Body"
        options={[
          { value: "JSON", label: "JSON event (id, kind, severity, occurred_at, data)" },
          { value: "SLACK", label: "Slack-compatible { text }" },
        ]}
        errors={state?.fieldErrors?.format}
        defaultValue={state?.ok ? "JSON" : (state?.values?.format ?? "JSON")}
      />
      <SubmitButton pendingLabel="Creating…">Create channel</SubmitButton>
      <FormMessage state={state} />
      {created ? (
        <div className="space-y-1 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
          <p className="text-sm font-medium text-amber-900">Signing secret for {created.name} (shown once):</p>
          <code
            data-testid="new-channel-secret"
            className="block break-all rounded bg-white px-2 py-1 text-xs text-slate-900 ring-1 ring-amber-200"
          >
            {created.secret}
          </code>
        </div>
      ) : null}
    </form>
  );
}
