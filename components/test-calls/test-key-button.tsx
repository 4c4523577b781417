"use client";

import { useActionState } from "react";
import { testKeyCall } from "@/app/(console)/providers/[id]/test-calls/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { CallOutcomeView } from "@/components/test-calls/call-outcome-view";

/** "Test" on a key row: a real streamed call with a tiny prompt, then its measurements. */
export function TestKeyButton({ keyId, label }: { keyId: string; label: string }) {
  const [state, action] = useActionState(testKeyCall, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="keyId" value={keyId} />
      <SubmitButton variant="secondary" pendingLabel="Testing…" aria-label={`Test ${label}`}>
        Test
      </SubmitButton>
      {state?.ok && state.data ? <CallOutcomeView outcome={state.data} /> : <FormMessage state={state} />}
    </form>
  );
}
