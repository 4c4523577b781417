"use client";

import Link from "@/components/ui/link";
import { useActionState, useState } from "react";
import { createModel, updateModel } from "@/app/(console)/providers/actions";
import { buttonClass, SubmitButton } from "@/components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { PriceFields } from "@/components/providers/price-fields";
import { useNavigateOnSuccess } from "@/components/providers/use-navigate-on-success";
import { MODEL_TYPE_LABEL, MODEL_TYPES } from "@/lib/providers/model-schemas";
import type { ActionResult } from "@/lib/actions/result";

export type ModelFormValues = {
  id: string;
  modelId: string;
  displayName: string;
  type: string;
  domain: string;
  baseModel: string;
  contextWindow: string;
  maxOutputTokens: string;
};

const TYPE_OPTIONS = MODEL_TYPES.map((type) => ({ value: type, label: MODEL_TYPE_LABEL[type] }));

type FormState = ActionResult<unknown> | undefined;

/** Shared by the add and edit forms; the first price is only asked for when adding. */
function ModelFields({
  providerId,
  model,
  state,
  action,
}: {
  providerId: string;
  model?: ModelFormValues;
  state: FormState;
  action: (formData: FormData) => void;
}) {
  const [type, setType] = useState(state?.values?.type ?? model?.type ?? "GENERAL");
  const errors = state?.fieldErrors ?? {};
  const value = (field: keyof ModelFormValues) => state?.values?.[field] ?? model?.[field] ?? "";

  return (
    <form action={action} className="max-w-2xl space-y-5" noValidate>
      <input type="hidden" name="providerId" value={providerId} />
      {model ? <input type="hidden" name="id" value={model.id} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="modelId"
          label="Provider's model id"
          required
          autoFocus={!model}
          errors={errors.modelId}
          defaultValue={value("modelId")}
          hint="Exactly as the API expects it, e.g. gpt-4o-mini."
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          name="displayName"
          label="Display name"
          errors={errors.displayName}
          defaultValue={value("displayName")}
          hint="Defaults to the model id."
        />
        <SelectField
          name="type"
          label="Type"
          options={TYPE_OPTIONS}
          errors={errors.type}
          value={type}
          onChange={(event) => setType(event.target.value)}
        />
        <TextField
          name="contextWindow"
          label="Context window (tokens)"
          inputMode="numeric"
          errors={errors.contextWindow}
          defaultValue={value("contextWindow")}
          placeholder="128000"
        />
        <TextField
          name="maxOutputTokens"
          label="Max output tokens"
          inputMode="numeric"
          errors={errors.maxOutputTokens}
          defaultValue={value("maxOutputTokens")}
          placeholder="16384"
          hint="The most output tokens one response may carry. Gateway requests without max_tokens reserve budget for this many."
        />
        {type === "DOMAIN" ? (
          <TextField
            name="domain"
            label="Domain"
            required
            errors={errors.domain}
            defaultValue={value("domain")}
            hint="e.g. code, legal, medical."
          />
        ) : null}
        {type === "FINE_TUNED" ? (
          <TextField
            name="baseModel"
            label="Base model"
            required
            errors={errors.baseModel}
            defaultValue={value("baseModel")}
            hint="The model it was fine-tuned from."
          />
        ) : null}
      </div>
      {model ? null : (
        <>
          <CheckboxField
            name="enabled"
            label="Enabled"
            defaultChecked={state?.values ? state.values.enabled === "on" : true}
            hint="Disabled models stay listed but are not offered for requests."
          />
          <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-semibold text-slate-800">First price (optional)</legend>
            <p className="text-xs text-slate-500">
              Leave the prices empty to add them later. Later changes add rows to the price history.
            </p>
            <PriceFields errors={errors} values={state?.values} optional />
          </fieldset>
        </>
      )}
      <FormMessage state={state} />
      <div className="flex gap-3">
        <SubmitButton pendingLabel={model ? "Saving…" : "Adding…"}>{model ? "Save model" : "Add model"}</SubmitButton>
        <Link href={`/providers/${providerId}`} className={buttonClass("secondary")}>
          {model ? "Back to provider" : "Cancel"}
        </Link>
      </div>
    </form>
  );
}

export function CreateModelForm({ providerId }: { providerId: string }) {
  const [state, action] = useActionState(createModel, undefined);
  useNavigateOnSuccess(state, (data) => (data ? `/providers/${providerId}/models/${data.id}` : null));
  return <ModelFields providerId={providerId} state={state} action={action} />;
}

export function EditModelForm({ providerId, model }: { providerId: string; model: ModelFormValues }) {
  const [state, action] = useActionState(updateModel, undefined);
  return <ModelFields providerId={providerId} model={model} state={state} action={action} />;
}
