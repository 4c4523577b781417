"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { deleteCase, saveCase } from "@/app/(console)/evals/actions";

export type EditableCase = {
  caseKey: string;
  prompt: string | null;
  messages: unknown;
  expectedOutput: string;
  metadata: unknown;
};

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // The schema refuses it with a field message.
  }
}

/** Edits one case (or adds one, without `item`); saving writes a new dataset version. */
export function CaseEditor({
  datasetId,
  baseVersion,
  item,
}: {
  datasetId: string;
  baseVersion: number;
  item?: EditableCase;
}) {
  const [state, action] = useActionState(saveCase, undefined);
  const [prompt, setPrompt] = useState(item?.prompt ?? "");
  const [messages, setMessages] = useState(item?.messages ? JSON.stringify(item.messages, null, 2) : "");
  const [expected, setExpected] = useState(item?.expectedOutput ?? "");
  const [metadata, setMetadata] = useState(JSON.stringify(item?.metadata ?? {}));
  const payload = JSON.stringify({
    prompt: messages.trim() ? null : prompt,
    messages: messages.trim() ? readJson(messages) : null,
    expectedOutput: expected,
    metadata: metadata.trim() ? readJson(metadata) : {},
  });
  const errors = state?.fieldErrors ?? {};
  const id = item?.caseKey ?? "new";
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="datasetId" value={datasetId} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      {item ? <input type="hidden" name="caseKey" value={item.caseKey} /> : null}
      <input type="hidden" name="case" value={payload} />
      <TextAreaField
        id={`prompt-${id}`}
        name="_prompt"
        label="Prompt"
        rows={3}
        value={prompt}
        onChange={(event) => setPrompt(event.target.value)}
        errors={errors["case.prompt"] ?? errors.case}
      />
      <TextAreaField
        id={`messages-${id}`}
        name="_messages"
        label="Messages (JSON, instead of a prompt)"
        rows={3}
        value={messages}
        onChange={(event) => setMessages(event.target.value)}
        errors={errors["case.messages"]}
      />
      <TextAreaField
        id={`expected-${id}`}
        name="_expected"
        label="Expected output"
        rows={2}
        value={expected}
        onChange={(event) => setExpected(event.target.value)}
        errors={errors["case.expectedOutput"]}
      />
      <TextAreaField
        id={`metadata-${id}`}
        name="_metadata"
        label="Metadata (JSON object)"
        rows={1}
        value={metadata}
        onChange={(event) => setMetadata(event.target.value)}
        errors={errors["case.metadata"]}
      />
      <SubmitButton pendingLabel="Saving…">{item ? "Save as new version" : "Add case"}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function DeleteCaseButton({
  datasetId,
  baseVersion,
  caseKey,
}: {
  datasetId: string;
  baseVersion: number;
  caseKey: string;
}) {
  const [state, action] = useActionState(deleteCase, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="datasetId" value={datasetId} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <input type="hidden" name="caseKey" value={caseKey} />
      <SubmitButton variant="secondary" pendingLabel="Removing…">
        Remove case
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
