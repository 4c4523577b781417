"use client";

import { useActionState } from "react";
import { setupAction } from "@/app/setup/actions";
import { TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { PASSWORD_MIN_LENGTH } from "@/lib/users/password-policy";

export function SetupForm() {
  const [state, action] = useActionState(setupAction, undefined);
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        errors={errors.email}
        defaultValue={state?.values?.email}
      />
      <TextField name="name" label="Name" autoComplete="name" errors={errors.name} defaultValue={state?.values?.name} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.password}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase of a few words works well.`}
      />
      <TextField
        name="confirmPassword"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.confirmPassword}
      />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Creating…" className="w-full">
        Create admin account
      </SubmitButton>
    </form>
  );
}
