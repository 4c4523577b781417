"use client";

import { useActionState } from "react";
import { rollbackConfig } from "@/app/(console)/providers/[id]/configuration/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

/** Restores an old version's values as a new version; refused if someone saved since the page loaded. */
export function RollbackForm({
  providerId,
  modelId,
  version,
  baseVersion,
}: {
  providerId: string;
  modelId: string | null;
  version: number;
  baseVersion: number;
}) {
  const [state, action] = useActionState(rollbackConfig, undefined);
  return (
    <form action={action} className="space-y-2" aria-label={`Roll back to version ${version}`}>
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="modelId" value={modelId ?? ""} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <SubmitButton variant="secondary" pendingLabel="Rolling back…">
        Roll back to this version
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
