"use client";

import { useActionState } from "react";
import { addPrice } from "@/app/(console)/providers/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { FineTunePriceFields, PriceFields } from "@/components/providers/price-fields";

/** Adds a price row; earlier rows are never changed. */
export function PriceForm({ providerId, id }: { providerId: string; id: string }) {
  const [state, action] = useActionState(addPrice, undefined);
  // On success the fields start over (with today's date) for the next change.
  const values = state?.ok ? undefined : state?.values;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Add a price">
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="id" value={id} />
      <PriceFields errors={state?.fieldErrors ?? {}} values={values} />
      <FineTunePriceFields errors={state?.fieldErrors ?? {}} values={values} />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Adding…">Add price</SubmitButton>
    </form>
  );
}
