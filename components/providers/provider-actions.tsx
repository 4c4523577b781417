"use client";

import Link from "@/components/ui/link";
import { useActionState } from "react";
import { deleteProvider, restoreProvider, setProviderEnabled } from "@/app/(console)/providers/actions";
import { buttonClass, SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { CancelButton, ConfirmDialog } from "@/components/providers/confirm-dialog";
import type { DeletePlan } from "@/lib/providers/delete-policy";

type ProviderRef = { id: string; name: string; enabled: boolean; archived: boolean };

function EnableForm({ provider }: { provider: ProviderRef }) {
  const [state, action] = useActionState(setProviderEnabled, undefined);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="providerId" value={provider.id} />
      <input type="hidden" name="enabled" value={provider.enabled ? "false" : "true"} />
      <SubmitButton variant="secondary" pendingLabel={provider.enabled ? "Disabling…" : "Enabling…"}>
        {provider.enabled ? "Disable" : "Enable"}
      </SubmitButton>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}

function DeleteForm({ provider, plan, close }: { provider: ProviderRef; plan: DeletePlan; close: () => void }) {
  const [state, action] = useActionState(deleteProvider, undefined);
  const label = plan.outcome === "archive" ? "Archive provider" : "Delete provider";
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="providerId" value={provider.id} />
      <p className="text-sm text-slate-700">{plan.message}</p>
      <FormMessage state={state} />
      <div className="flex justify-end gap-3">
        <CancelButton onClick={close} />
        {plan.outcome === "refuse" ? null : (
          <SubmitButton variant="danger" pendingLabel={plan.outcome === "archive" ? "Archiving…" : "Deleting…"}>
            {label}
          </SubmitButton>
        )}
      </div>
    </form>
  );
}

function RestoreForm({ provider }: { provider: ProviderRef }) {
  const [state, action] = useActionState(restoreProvider, undefined);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="providerId" value={provider.id} />
      <SubmitButton pendingLabel="Restoring…">Restore</SubmitButton>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}

/** Header actions of a provider; rendered only for roles that may change providers. */
export function ProviderActions({ provider, plan }: { provider: ProviderRef; plan: DeletePlan }) {
  if (provider.archived) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <RestoreForm provider={provider} />
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Link href={`/providers/${provider.id}/edit`} className={buttonClass("secondary")}>
        Edit
      </Link>
      <EnableForm provider={provider} />
      <ConfirmDialog
        trigger="Delete…"
        title={plan.outcome === "refuse" ? `“${provider.name}” cannot be deleted yet` : `Delete “${provider.name}”?`}
      >
        {(close) => <DeleteForm provider={provider} plan={plan} close={close} />}
      </ConfirmDialog>
    </div>
  );
}
