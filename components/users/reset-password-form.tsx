"use client";

import { useActionState } from "react";
import { resetUserPassword } from "@/app/(console)/users/actions";
import { TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { PASSWORD_MIN_LENGTH } from "@/lib/users/password-policy";

export function ResetPasswordForm({ userId }: { userId: string }) {
  const [state, action] = useActionState(resetUserPassword, undefined);
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Reset password">
      <input type="hidden" name="userId" value={userId} />
      <TextField
        id="reset-password"
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        errors={state?.fieldErrors?.password}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. The user's existing sessions end.`}
      />
      <FormMessage state={state} />
      <SubmitButton variant="secondary" pendingLabel="Resetting…">
        Reset password
      </SubmitButton>
    </form>
  );
}
