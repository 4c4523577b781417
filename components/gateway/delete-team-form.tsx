"use client";

import { useActionState } from "react";
import { deleteTeam } from "@/app/(console)/gateway/teams/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function DeleteTeamForm({ teamId, name }: { teamId: string; name: string }) {
  const [state, action] = useActionState(deleteTeam, undefined);
  return (
    <details>
      <summary className="inline-block cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-red-700 ring-1 ring-inset ring-red-200 hover:bg-red-50">
        Delete…
      </summary>
      <form
        action={action}
        className="mt-2 space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200"
        aria-label={`Delete ${name}`}
      >
        <input type="hidden" name="teamId" value={teamId} />
        <p className="text-sm text-red-900">Delete the team “{name}”? Only a team without keys can be deleted.</p>
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete team
        </SubmitButton>
        <FormMessage state={state} />
      </form>
    </details>
  );
}
