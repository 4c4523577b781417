"use client";

import { useActionState } from "react";
import { setModelEnabled } from "@/app/(console)/providers/actions";
import { SubmitButton } from "@/components/ui/button";

export function ModelEnabledToggle({
  providerId,
  id,
  enabled,
  name,
}: {
  providerId: string;
  id: string;
  enabled: boolean;
  name: string;
}) {
  const [state, action] = useActionState(setModelEnabled, undefined);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      <SubmitButton
        variant="secondary"
        className="px-2 py-1 text-xs"
        pendingLabel="…"
        aria-label={`${enabled ? "Disable" : "Enable"} ${name}`}
      >
        {enabled ? "Disable" : "Enable"}
      </SubmitButton>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
