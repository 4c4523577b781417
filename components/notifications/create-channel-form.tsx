"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { ShownOnce } from "@/components/ui/shown-once";
import { createChannel, createEmailChannel } from "@/app/(console)/notifications/actions";

type Kind = "WEBHOOK" | "EMAIL";

/**
 * A key that changes with each answer's echoed values: React resets a form after its action, and
 * a select returns to the option it was mounted with, so the form is remounted with the answer's
 * values as its defaults instead (the TLS mode or body format chosen stays chosen).
 */
function answerKey(state: { ok: boolean; values?: Record<string, string> } | undefined): string {
  return state ? `${state.ok}:${JSON.stringify(state.values ?? {})}` : "initial";
}

/** New channel: the kind choice, then the webhook or the SMTP fields (each its own action). */
export function CreateChannelForm() {
  const [kind, setKind] = useState<Kind>("WEBHOOK");
  return (
    <div className="space-y-4">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Kind</legend>
        <div className="mt-1 flex gap-4">
          {(
            [
              ["WEBHOOK", "Webhook"],
              ["EMAIL", "Email (SMTP)"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="inline-flex items-center gap-1 text-sm text-slate-700">
              <input
                type="radio"
                name="channel-kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
                className="h-4 w-4"
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {kind === "WEBHOOK" ? <WebhookChannelForm /> : <EmailChannelForm />}
    </div>
  );
}

function WebhookChannelForm() {
  const [state, action] = useActionState(createChannel, undefined);
  const created = state?.ok ? state.data : undefined;
  return (
    <form key={answerKey(state)} action={action} className="space-y-4">
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
        <ShownOnce
          label={`Signing secret for ${created.name} (shown once):`}
          value={created.secret}
          testId="new-channel-secret"
        />
      ) : null}
    </form>
  );
}

function EmailChannelForm() {
  const [state, action] = useActionState(createEmailChannel, undefined);
  const value = (field: string, fallback = "") => (state?.ok ? fallback : (state?.values?.[field] ?? fallback));
  return (
    <form key={answerKey(state)} action={action} className="space-y-4">
      <TextField
        id="email-channel-name"
        name="name"
        label="Name"
        placeholder="finance-mail"
        required
        errors={state?.fieldErrors?.name}
        defaultValue={value("name")}
      />
      <div className="grid grid-cols-3 gap-3">
        <div className="col-span-2">
          <TextField
            name="smtpHost"
            label="SMTP host"
            placeholder="smtp.example.com"
            required
            errors={state?.fieldErrors?.smtpHost}
            defaultValue={value("smtpHost")}
          />
        </div>
        <TextField
          name="smtpPort"
          label="Port"
          inputMode="numeric"
          required
          errors={state?.fieldErrors?.smtpPort}
          defaultValue={value("smtpPort", "587")}
        />
      </div>
      <SelectField
        name="smtpTls"
        label="TLS"
        options={[
          { value: "STARTTLS", label: "STARTTLS required (port 587)" },
          { value: "IMPLICIT", label: "Implicit TLS (port 465)" },
          { value: "NONE", label: "None (only to networks in EGRESS_ALLOWED_NETWORKS)" },
        ]}
        errors={state?.fieldErrors?.smtpTls}
        defaultValue={value("smtpTls", "STARTTLS")}
      />
      <TextField
        name="smtpUsername"
        label="User name (optional)"
        autoComplete="off"
        errors={state?.fieldErrors?.smtpUsername}
        defaultValue={value("smtpUsername")}
      />
      <TextField
        name="smtpPassword"
        label="Password (optional)"
        type="password"
        autoComplete="new-password"
        hint="Sealed like provider keys; never shown again. Replace it on the channel's page."
        errors={state?.fieldErrors?.smtpPassword}
      />
      <TextField
        name="fromAddress"
        label="From address"
        type="email"
        placeholder="console@example.com"
        required
        errors={state?.fieldErrors?.fromAddress}
        defaultValue={value("fromAddress")}
      />
      <SelectField
        name="selfSubscribe"
        label="Finance may subscribe themselves to budget alerts"
        options={[
          { value: "false", label: "No" },
          { value: "true", label: "Yes" },
        ]}
        errors={state?.fieldErrors?.selfSubscribe}
        defaultValue={value("selfSubscribe", "false")}
      />
      <SubmitButton pendingLabel="Creating…">Create email channel</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
