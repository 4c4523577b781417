"use client";

import { useActionState } from "react";
import { changeUserRole } from "@/app/(console)/users/actions";
import { SelectField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ROLE_HINT, ROLE_OPTIONS } from "@/components/users/role-options";
import type { RoleName } from "@/lib/auth/roles";

export function ChangeRoleForm({ userId, role }: { userId: string; role: RoleName }) {
  const [state, action] = useActionState(changeUserRole, undefined);
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Change role">
      <input type="hidden" name="userId" value={userId} />
      {/* Keyed by the saved role: React resets a form after its action, and a select only
          picks up a new default when it remounts. */}
      <SelectField
        key={role}
        name="role"
        label="Role"
        options={ROLE_OPTIONS}
        defaultValue={role}
        errors={state?.fieldErrors?.role}
        hint={ROLE_HINT}
      />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Changing…">Change role</SubmitButton>
    </form>
  );
}
