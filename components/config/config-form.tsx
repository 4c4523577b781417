"use client";

import { useActionState } from "react";
import { saveConfig } from "@/app/(console)/providers/[id]/configuration/actions";
import { TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export type ConfigFormField = {
  name: string;
  label: string;
  group: "parameters" | "limits" | "budget";
  /** This level's saved value as the control shows it ("" = not set here). */
  current: string;
  hint: string;
  decimal: boolean;
};

const GROUPS = [
  { id: "parameters", legend: "Default request parameters" },
  { id: "limits", legend: "Rate limits" },
  { id: "budget", legend: "Budget" },
] as const;

/**
 * Saves a new version of this level's configuration. It carries the version it was based on, so
 * a save over someone else's newer version is refused instead of silently overwriting it.
 */
export function ConfigForm({
  providerId,
  modelId,
  baseVersion,
  fields,
}: {
  providerId: string;
  modelId: string | null;
  baseVersion: number;
  fields: ConfigFormField[];
}) {
  const [actionState, action] = useActionState(saveConfig, undefined);
  // "Saved as version N" stops being news once a newer version (say, a rollback) is in force.
  const state = actionState?.ok && actionState.data?.version !== baseVersion ? undefined : actionState;
  // After a failed save the form shows what was typed; after a successful one, the saved values.
  const typed = state && !state.ok ? state.values : undefined;
  return (
    // Keyed by the base version: a save (or someone's rollback) remounts the controls with the new defaults.
    <form key={baseVersion} action={action} className="space-y-5" noValidate aria-label="Edit configuration">
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="modelId" value={modelId ?? ""} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <p className="text-xs text-slate-500">
        Editing version {baseVersion === 0 ? "— (nothing saved yet)" : baseVersion}. Saving creates version{" "}
        {baseVersion + 1}.
      </p>
      {GROUPS.map((group) => (
        <fieldset key={group.id} className="space-y-3">
          <legend className="mb-2 text-sm font-semibold text-slate-800">{group.legend}</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            {fields
              .filter((field) => field.group === group.id)
              .map((field) => (
                <TextField
                  key={field.name}
                  name={field.name}
                  label={field.label}
                  inputMode={field.decimal ? "decimal" : "numeric"}
                  autoComplete="off"
                  defaultValue={typed?.[field.name] ?? field.current}
                  errors={state?.fieldErrors?.[field.name]}
                  hint={field.hint}
                />
              ))}
          </div>
        </fieldset>
      ))}
      <TextField
        name="comment"
        label="Comment (optional)"
        maxLength={500}
        defaultValue={typed?.comment ?? ""}
        errors={state?.fieldErrors?.comment}
        hint="Why this change, for the version history."
      />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Saving…">Save as new version</SubmitButton>
    </form>
  );
}
