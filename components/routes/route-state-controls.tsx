"use client";

import { useActionState } from "react";
import { archiveRoute, rollbackRoute, setRouteEnabled } from "@/app/(console)/gateway/routes/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function RollbackRouteForm({
  routeId,
  baseVersion,
  version,
}: {
  routeId: string;
  baseVersion: number;
  version: number;
}) {
  const [state, action] = useActionState(rollbackRoute, undefined);
  return (
    <form action={action} className="space-y-1 text-right">
      <input type="hidden" name="routeId" value={routeId} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <input type="hidden" name="version" value={version} />
      <SubmitButton variant="secondary" pendingLabel="Restoring…" aria-label={`Restore version ${version}`}>
        Restore this version
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function RouteStateControls({ routeId, enabled, name }: { routeId: string; enabled: boolean; name: string }) {
  const [toggleState, toggle] = useActionState(setRouteEnabled, undefined);
  const [archiveState, archive] = useActionState(archiveRoute, undefined);
  return (
    <div className="flex flex-wrap items-start gap-3">
      <form action={toggle}>
        <input type="hidden" name="routeId" value={routeId} />
        <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          {enabled ? "Disable route" : "Enable route"}
        </SubmitButton>
        <FormMessage state={toggleState} />
      </form>
      <details>
        <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-red-700 ring-1 ring-inset ring-red-200 hover:bg-red-50">
          Archive…
        </summary>
        <form action={archive} className="mt-2 space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200">
          <input type="hidden" name="routeId" value={routeId} />
          <label className="flex items-start gap-2 text-sm text-red-900">
            <input type="checkbox" name="confirm" value="on" required className="mt-1" />
            Archive “{name}”: it stops taking traffic and its settings can no longer change.
          </label>
          <SubmitButton variant="danger" pendingLabel="Archiving…">
            Archive route
          </SubmitButton>
          <FormMessage state={archiveState} />
        </form>
      </details>
    </div>
  );
}
