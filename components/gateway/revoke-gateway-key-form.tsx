"use client";

import { useActionState } from "react";
import { revokeGatewayKey } from "@/app/(console)/gateway/keys/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

/** A disclosure with a required confirmation box: a keyboard or a stray click alone cannot revoke. */
export function RevokeGatewayKeyForm({ gatewayKeyId, name }: { gatewayKeyId: string; name: string }) {
  const [state, action] = useActionState(revokeGatewayKey, undefined);
  return (
    <details className="group">
      <summary className="inline-block cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-red-700 ring-1 ring-inset ring-red-200 hover:bg-red-50">
        Revoke…
      </summary>
      <form
        action={action}
        className="mt-2 space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200"
        aria-label={`Revoke ${name}`}
      >
        <input type="hidden" name="gatewayKeyId" value={gatewayKeyId} />
        <label className="flex items-start gap-2 text-sm text-red-900">
          <input type="checkbox" name="confirm" value="on" required className="mt-1" />
          Revoke “{name}” now. The gateway refuses it within a second; this cannot be undone.
        </label>
        <SubmitButton variant="danger" pendingLabel="Revoking…">
          Revoke now
        </SubmitButton>
        <FormMessage state={state} />
      </form>
    </details>
  );
}
