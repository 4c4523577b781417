"use client";

import { useActionState } from "react";
import { updateHealthSettings } from "@/app/(console)/health-checks/actions";
import { SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { HEALTH_CHECK_INTERVALS } from "@/lib/test-calls/schemas";

const intervalLabel = (minutes: number) =>
  minutes === 0
    ? "Off"
    : minutes < 60
      ? `Every ${minutes} minutes`
      : minutes === 60
        ? "Every hour"
        : `Every ${minutes / 60} hours`;

export function HealthSettingsForm({
  intervalMinutes,
  failureThreshold,
}: {
  intervalMinutes: number | null;
  failureThreshold: number;
}) {
  const [state, action] = useActionState(updateHealthSettings, undefined);
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Scheduled health check">
      <SelectField
        name="intervalMinutes"
        id="health-interval"
        label="Run the health check"
        errors={errors.intervalMinutes}
        defaultValue={state?.values?.intervalMinutes ?? String(intervalMinutes ?? 0)}
        hint="Runs the same calls as Test all, on one instance at a time. Each check spends a few tokens per provider."
        options={HEALTH_CHECK_INTERVALS.map((minutes) => ({ value: String(minutes), label: intervalLabel(minutes) }))}
      />
      <TextField
        name="failureThreshold"
        id="health-threshold"
        label="Flag a provider after this many failed checks in a row"
        type="number"
        min={1}
        max={20}
        errors={errors.failureThreshold}
        defaultValue={state?.values?.failureThreshold ?? String(failureThreshold)}
        hint="Flagged providers are highlighted on the overview and providers list; they are never disabled automatically."
      />
      <FormMessage state={state} />
      <SubmitButton>Save schedule</SubmitButton>
    </form>
  );
}
