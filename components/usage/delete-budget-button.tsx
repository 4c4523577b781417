"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { deleteBudget } from "@/app/(console)/spend/budgets/actions";

export function DeleteBudgetButton({ budgetId, label }: { budgetId: string; label: string }) {
  const [state, action] = useActionState(deleteBudget, undefined);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="budgetId" value={budgetId} />
      <SubmitButton variant="secondary" pendingLabel="Removing…" aria-label={`Remove the ${label} budget`}>
        Remove
      </SubmitButton>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
