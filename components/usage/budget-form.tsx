"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { setBudget } from "@/app/(console)/spend/budgets/actions";

/** Creates or changes the monthly budget of one scope (overall or a provider). */
export function BudgetForm({ providers }: { providers: { id: string; name: string }[] }) {
  const [state, action] = useActionState(setBudget, undefined);
  return (
    <form action={action} className="space-y-4">
      <SelectField
        // A select keeps its first default through React's post-action form reset: remount it
        // with the submitted scope so a refused amount does not silently switch to "overall".
        key={state?.values?.scope ?? "overall"}
        name="scope"
        label="Budget for"
        options={[
          { value: "overall", label: "All providers (overall)" },
          ...providers.map((p) => ({ value: p.id, label: p.name })),
        ]}
        errors={state?.fieldErrors?.scope}
        defaultValue={state?.values?.scope ?? "overall"}
      />
      <TextField
        name="monthlyAmount"
        label="Monthly amount (USD)"
        inputMode="decimal"
        placeholder="1500.00"
        hint="Per UTC calendar month. Setting it again for the same scope changes it."
        errors={state?.fieldErrors?.monthlyAmount}
        defaultValue={state?.ok ? "" : (state?.values?.monthlyAmount ?? "")}
      />
      <CheckboxField
        // Remounted like the scope, so a refused submission keeps what was ticked.
        key={`hard-${state?.ok ? "" : (state?.values?.hard ?? "")}`}
        name="hard"
        label="Hard"
        defaultChecked={!state?.ok && state?.values?.hard === "on"}
        hint="The gateway refuses requests once this month's spend reaches it. Unticked, the budget only warns."
      />
      <SubmitButton pendingLabel="Saving…">Save budget</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
