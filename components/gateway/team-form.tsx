"use client";

import { useActionState } from "react";
import { createTeam, updateTeam } from "@/app/(console)/gateway/teams/actions";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/actions/result";

type TeamValues = { name: string; description: string; monthlyBudgetUsd: string };
const EMPTY: TeamValues = { name: "", description: "", monthlyBudgetUsd: "" };

function TeamFields({
  prefix,
  state,
  start,
}: {
  prefix: string;
  state: ActionResult<unknown> | undefined;
  start: TeamValues;
}) {
  const errors = state?.fieldErrors ?? {};
  const value = (field: keyof TeamValues) =>
    state && !state.ok ? (state.values?.[field] ?? start[field]) : start[field];
  return (
    <>
      <TextField
        id={`${prefix}-name`}
        name="name"
        label="Name"
        required
        maxLength={80}
        errors={errors.name}
        defaultValue={value("name")}
      />
      <TextField
        id={`${prefix}-description`}
        name="description"
        label="Description (optional)"
        maxLength={500}
        errors={errors.description}
        defaultValue={value("description")}
      />
      <TextField
        id={`${prefix}-budget`}
        name="monthlyBudgetUsd"
        label="Monthly budget (USD, optional)"
        inputMode="decimal"
        placeholder="No budget"
        errors={errors.monthlyBudgetUsd}
        defaultValue={value("monthlyBudgetUsd")}
        hint="Spend of all the team's keys in a UTC month."
      />
    </>
  );
}

export function CreateTeamForm() {
  const [state, action] = useActionState(createTeam, undefined);
  return (
    <form action={action} className="space-y-4" noValidate aria-label="New team">
      <TeamFields prefix="create-team" state={state} start={EMPTY} />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Creating…">Create team</SubmitButton>
    </form>
  );
}

export function EditTeamForm({ teamId, initial }: { teamId: string; initial: TeamValues }) {
  const [state, action] = useActionState(updateTeam, undefined);
  return (
    <form action={action} className="space-y-3" noValidate aria-label={`Edit ${initial.name}`}>
      <input type="hidden" name="teamId" value={teamId} />
      <TeamFields prefix={`team-${teamId}`} state={state} start={initial} />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Saving…">Save team</SubmitButton>
    </form>
  );
}
