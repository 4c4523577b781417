"use client";

import { useActionState } from "react";
import { setUserDisabled } from "@/app/(console)/users/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function UserStatusForm({ userId, disabled }: { userId: string; disabled: boolean }) {
  const [state, action] = useActionState(setUserDisabled, undefined);
  return (
    <form action={action} className="space-y-3" aria-label={disabled ? "Enable user" : "Disable user"}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <p className="text-sm text-slate-600">
        {disabled
          ? "This user cannot sign in. Enabling lets them sign in again with their current password."
          : "Disabling signs the user out everywhere on their next request and stops them signing in."}
      </p>
      <FormMessage state={state} />
      <SubmitButton variant={disabled ? "secondary" : "danger"} pendingLabel={disabled ? "Enabling…" : "Disabling…"}>
        {disabled ? "Enable user" : "Disable user"}
      </SubmitButton>
    </form>
  );
}
