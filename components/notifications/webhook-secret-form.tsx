"use client";

import { useActionState } from "react";
import { rotateChannelSecret } from "@/app/(console)/notifications/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

/** A webhook channel's new signing secret, behind a confirmation box, shown once when made. */
export function WebhookSecretForm({ channelId, name }: { channelId: string; name: string }) {
  const [state, action] = useActionState(rotateChannelSecret, undefined);
  const secret = state?.ok ? state.data?.secret : undefined;
  return (
    <form action={action} className="space-y-3" aria-label={`Rotate the signing secret of ${name}`}>
      <input type="hidden" name="channelId" value={channelId} />
      <p className="text-sm text-slate-600">
        The current secret is sealed and never shown. A new one replaces it at once: every delivery from then on is
        signed with it, so update the receiver right after copying it.
      </p>
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" name="confirm" value="on" required className="mt-1" />
        Replace the signing secret of “{name}” now.
      </label>
      <SubmitButton variant="secondary" pendingLabel="Rotating…">
        Rotate secret
      </SubmitButton>
      <FormMessage state={state} />
      {secret ? (
        <div className="space-y-1 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
          <p className="text-sm font-medium text-amber-900">New signing secret (shown once):</p>
          <code
            data-testid="rotated-channel-secret"
            className="block break-all rounded bg-white px-2 py-1 text-xs text-slate-900 ring-1 ring-amber-200"
          >
            {secret}
          </code>
        </div>
      ) : null}
    </form>
  );
}
