"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { repriceUnpriced } from "@/app/(console)/usage/actions";

/**
 * Prices a model's unpriced usage records from the prices now in force (and moves them into the
 * rollups), reporting how many. For the model page; render it only for roles with prices:write —
 * the action refuses the others anyway.
 */
export function RepriceButton({ modelId }: { modelId: string }) {
  const [state, action] = useActionState(repriceUnpriced, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="modelId" value={modelId} />
      <SubmitButton variant="secondary" pendingLabel="Recomputing…">
        Recompute unpriced usage
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
