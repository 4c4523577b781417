"use client";

import { useActionState } from "react";
import { deleteModel, setModelEnabled } from "@/app/(console)/providers/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { CancelButton, ConfirmDialog } from "@/components/providers/confirm-dialog";

type ModelRef = { providerId: string; id: string; displayName: string; enabled: boolean; priceCount: number };

function EnableForm({ model }: { model: ModelRef }) {
  const [state, action] = useActionState(setModelEnabled, undefined);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="providerId" value={model.providerId} />
      <input type="hidden" name="id" value={model.id} />
      <input type="hidden" name="enabled" value={model.enabled ? "false" : "true"} />
      <SubmitButton variant="secondary" pendingLabel={model.enabled ? "Disabling…" : "Enabling…"}>
        {model.enabled ? "Disable model" : "Enable model"}
      </SubmitButton>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}

function DeleteForm({ model, close }: { model: ModelRef; close: () => void }) {
  const [state, action] = useActionState(deleteModel, undefined);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="providerId" value={model.providerId} />
      <input type="hidden" name="id" value={model.id} />
      <p className="text-sm text-slate-700">
        The model and its price history ({model.priceCount} {model.priceCount === 1 ? "row" : "rows"}) are deleted for
        good. The audit log keeps a record. To stop offering it but keep its history, disable it instead.
      </p>
      <FormMessage state={state} />
      <div className="flex justify-end gap-3">
        <CancelButton onClick={close} />
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete model
        </SubmitButton>
      </div>
    </form>
  );
}

export function ModelActions({ model }: { model: ModelRef }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <EnableForm model={model} />
      <ConfirmDialog trigger="Delete model…" title={`Delete “${model.displayName}”?`}>
        {(close) => <DeleteForm model={model} close={close} />}
      </ConfirmDialog>
    </div>
  );
}
