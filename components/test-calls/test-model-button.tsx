"use client";

import { useActionState } from "react";
import { testModelCall } from "@/app/(console)/providers/[id]/test-calls/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { CallOutcomeView } from "@/components/test-calls/call-outcome-view";

/** "Test" on a model: the tiny prompt through the provider's primary key. */
export function TestModelButton({ providerId, modelId, name }: { providerId: string; modelId: string; name: string }) {
  const [state, action] = useActionState(testModelCall, undefined);
  return (
    <form action={action} className="ml-2 inline-flex flex-col items-end gap-2 align-top">
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="modelId" value={modelId} />
      <SubmitButton
        variant="secondary"
        className="px-2 py-1 text-xs"
        pendingLabel="Testing…"
        aria-label={`Test ${name}`}
      >
        Test
      </SubmitButton>
      {state?.ok && state.data ? <CallOutcomeView outcome={state.data} /> : <FormMessage state={state} />}
    </form>
  );
}
