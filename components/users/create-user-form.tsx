"use client";

import { useActionState } from "react";
import { createUser } from "@/app/(console)/users/actions";
import { SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ROLE_HINT, ROLE_OPTIONS } from "@/components/users/role-options";
import { PASSWORD_MIN_LENGTH } from "@/lib/users/password-policy";

export function CreateUserForm() {
  const [state, action] = useActionState(createUser, undefined);
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="grid gap-4 md:grid-cols-2" noValidate aria-label="Add a user">
      <TextField
        id="new-user-email"
        name="email"
        label="Email"
        type="email"
        autoComplete="off"
        required
        errors={errors.email}
        defaultValue={state?.values?.email}
      />
      <TextField
        id="new-user-name"
        name="name"
        label="Name"
        autoComplete="off"
        errors={errors.name}
        defaultValue={state?.values?.name}
      />
      <SelectField
        id="new-user-role"
        name="role"
        label="Role"
        options={ROLE_OPTIONS}
        errors={errors.role}
        hint={ROLE_HINT}
        defaultValue={state?.values?.role ?? "VIEWER"}
      />
      <TextField
        id="new-user-password"
        name="password"
        label="Initial password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.password}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. Share it with the person over a separate channel.`}
      />
      <div className="space-y-3 md:col-span-2">
        <FormMessage state={state} />
        <SubmitButton pendingLabel="Creating…">Create user</SubmitButton>
      </div>
    </form>
  );
}
