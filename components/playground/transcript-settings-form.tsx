"use client";

import { useActionState } from "react";
import { updateTranscriptSettings } from "@/app/(console)/playground/actions";
import { CheckboxField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function TranscriptSettingsForm({ storeTranscripts }: { storeTranscripts: boolean }) {
  const [state, action] = useActionState(updateTranscriptSettings, undefined);
  const current = state?.ok && state.data ? state.data.storeTranscripts : storeTranscripts;
  return (
    <form action={action} className="space-y-3" aria-label="Playground transcripts">
      <CheckboxField
        key={String(current)}
        name="storeTranscripts"
        id="store-transcripts"
        label="Store playground transcripts"
        defaultChecked={current}
        hint="Off by default: prompts and answers are then never written anywhere. When on, admins can read the last 20 below."
      />
      <FormMessage state={state} />
      <SubmitButton variant="secondary">Save</SubmitButton>
    </form>
  );
}
