"use client";

import { useActionState } from "react";
import { rotateGatewayKey } from "@/app/(console)/gateway/keys/actions";
import { IssuedKeyNotice } from "@/components/gateway/issued-key-notice";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

const GRACE_OPTIONS = [
  { value: "24h", label: "24 hours" },
  { value: "1h", label: "1 hour" },
  { value: "7d", label: "7 days" },
  { value: "none", label: "None: revoke the old key now" },
  { value: "custom", label: "Custom (minutes)" },
];

export function RotateGatewayKeyForm({ gatewayKeyId, name }: { gatewayKeyId: string; name: string }) {
  const [state, action] = useActionState(rotateGatewayKey, undefined);
  const errors = state?.fieldErrors ?? {};
  const keep = (field: string, fallback: string) =>
    state && !state.ok ? (state.values?.[field] ?? fallback) : fallback;
  const issued = state?.ok ? state.data : undefined;
  return (
    <form action={action} className="space-y-3" noValidate aria-label={`Rotate ${name}`}>
      <input type="hidden" name="gatewayKeyId" value={gatewayKeyId} />
      <p className="text-sm text-slate-600">
        A new key with the same team, limits, models and addresses replaces this one. Applications switch to it while
        the old key keeps working for the grace period.
      </p>
      <SelectField
        id="rotate-grace"
        name="grace"
        label="Old key keeps working for"
        options={GRACE_OPTIONS}
        errors={errors.grace}
        defaultValue={keep("grace", "24h")}
        // React applies a select's defaultValue only on mount: remount it so a form reset keeps the choice.
        key={keep("grace", "24h")}
      />
      <TextField
        id="rotate-grace-minutes"
        name="graceMinutes"
        label="Custom grace period (minutes)"
        type="number"
        min={1}
        max={43200}
        errors={errors.graceMinutes}
        defaultValue={keep("graceMinutes", "")}
        hint="Used when the choice above is Custom; at most 43200 (30 days)."
      />
      <FormMessage state={state} />
      {issued ? <IssuedKeyNotice name={issued.name} gatewayKey={issued.key} /> : null}
      {issued ? null : <SubmitButton pendingLabel="Rotating…">Rotate key</SubmitButton>}
    </form>
  );
}
