"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { revokeIngestToken } from "@/app/(console)/usage/tokens/actions";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action] = useActionState(revokeIngestToken, undefined);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      <SubmitButton variant="danger" pendingLabel="Revoking…" aria-label={`Revoke ${name}`}>
        Revoke
      </SubmitButton>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
