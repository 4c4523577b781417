"use client";

import { useActionState } from "react";
import { rotateChannelSecret } from "@/app/(console)/notifications/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ShownOnce } from "@/components/ui/shown-once";

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
        <ShownOnce label="New signing secret (shown once):" value={secret} testId="rotated-channel-secret" />
      ) : null}
    </form>
  );
}
