"use client";

import { useActionState } from "react";
import { createGatewayKey, updateGatewayKey } from "@/app/(console)/gateway/keys/actions";
import { IssuedKeyNotice } from "@/components/gateway/issued-key-notice";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/actions/result";
import type { TeamOption } from "@/lib/gateway-keys/queries";

/** The form's fields as text, as an edit form starts from them. */
export type GatewayKeyFormValues = {
  name: string;
  teamId: string;
  allowedModels: string;
  monthlyBudgetUsd: string;
  rpmLimit: string;
  tpmLimit: string;
  maxParallel: string;
  expiresAt: string;
  allowedIps: string;
};

const EMPTY: GatewayKeyFormValues = {
  name: "",
  teamId: "",
  allowedModels: "",
  monthlyBudgetUsd: "",
  rpmLimit: "",
  tpmLimit: "",
  maxParallel: "",
  expiresAt: "",
  allowedIps: "",
};

type FieldsProps = {
  prefix: string;
  teams: TeamOption[];
  errors: Record<string, string[] | undefined>;
  value: (field: keyof GatewayKeyFormValues) => string;
};

function GatewayKeyFields({ prefix, teams, errors, value }: FieldsProps) {
  const id = (field: string) => `${prefix}-key-${field}`;
  return (
    <>
      <TextField
        id={id("name")}
        name="name"
        label="Name"
        placeholder="checkout-service"
        required
        maxLength={80}
        errors={errors.name}
        defaultValue={value("name")}
      />
      <SelectField
        id={id("team")}
        name="teamId"
        label="Team"
        required
        errors={errors.teamId}
        defaultValue={value("teamId")}
        // React applies a select's defaultValue only on mount: remount it so a form reset keeps the choice.
        key={value("teamId")}
        options={[
          { value: "", label: "Choose a team…" },
          ...teams.map((team) => ({ value: team.id, label: team.name })),
        ]}
      />
      <TextAreaField
        id={id("models")}
        name="allowedModels"
        label="Allowed models"
        rows={3}
        spellCheck={false}
        errors={errors.allowedModels}
        defaultValue={value("allowedModels")}
        hint="One per line: provider-slug/model-id, or a model id for that model on any provider. Empty: every model."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id={id("budget")}
          name="monthlyBudgetUsd"
          label="Monthly budget (USD)"
          inputMode="decimal"
          placeholder="No budget"
          errors={errors.monthlyBudgetUsd}
          defaultValue={value("monthlyBudgetUsd")}
        />
        <TextField
          id={id("expires")}
          name="expiresAt"
          label="Expires on (UTC, optional)"
          type="date"
          errors={errors.expiresAt}
          defaultValue={value("expiresAt")}
        />
        <TextField
          id={id("rpm")}
          name="rpmLimit"
          label="Requests per minute"
          type="number"
          min={1}
          placeholder="No limit"
          errors={errors.rpmLimit}
          defaultValue={value("rpmLimit")}
        />
        <TextField
          id={id("tpm")}
          name="tpmLimit"
          label="Tokens per minute"
          type="number"
          min={1}
          placeholder="No limit"
          errors={errors.tpmLimit}
          defaultValue={value("tpmLimit")}
        />
        <TextField
          id={id("parallel")}
          name="maxParallel"
          label="Parallel requests"
          type="number"
          min={1}
          placeholder="No limit"
          errors={errors.maxParallel}
          defaultValue={value("maxParallel")}
        />
      </div>
      <TextAreaField
        id={id("ips")}
        name="allowedIps"
        label="Allowed client addresses"
        rows={2}
        spellCheck={false}
        placeholder="10.0.0.0/8"
        errors={errors.allowedIps}
        defaultValue={value("allowedIps")}
        hint="IPv4 or IPv6 ranges (CIDR), one per line. Empty: any address."
      />
    </>
  );
}

/** A failed save keeps what the person typed; otherwise the form shows `start`. */
function valueFrom(state: ActionResult<unknown> | undefined, start: GatewayKeyFormValues) {
  return (field: keyof GatewayKeyFormValues) =>
    state && !state.ok ? (state.values?.[field] ?? start[field]) : start[field];
}

export function CreateGatewayKeyForm({ teams }: { teams: TeamOption[] }) {
  const [state, action] = useActionState(createGatewayKey, undefined);
  const issued = state?.ok ? state.data : undefined;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="New gateway key">
      <GatewayKeyFields
        prefix="create"
        teams={teams}
        errors={state?.fieldErrors ?? {}}
        value={valueFrom(state, EMPTY)}
      />
      <FormMessage state={state} />
      {issued ? <IssuedKeyNotice name={issued.name} gatewayKey={issued.key} /> : null}
      <SubmitButton pendingLabel="Creating…" disabled={teams.length === 0}>
        Create key
      </SubmitButton>
    </form>
  );
}

export function EditGatewayKeyForm({
  teams,
  gatewayKeyId,
  initial,
}: {
  teams: TeamOption[];
  gatewayKeyId: string;
  initial: GatewayKeyFormValues;
}) {
  const [state, action] = useActionState(updateGatewayKey, undefined);
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Key settings">
      <input type="hidden" name="gatewayKeyId" value={gatewayKeyId} />
      <GatewayKeyFields
        prefix="edit"
        teams={teams}
        errors={state?.fieldErrors ?? {}}
        value={valueFrom(state, initial)}
      />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
    </form>
  );
}
