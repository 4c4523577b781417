"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { cancelFineTuneJob } from "@/app/(console)/fine-tuning/actions";

export function CancelJobButton({ jobId }: { jobId: string }) {
  const [state, action] = useActionState(cancelFineTuneJob, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="jobId" value={jobId} />
      <SubmitButton variant="danger" pendingLabel="Cancelling…">
        Cancel job
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
