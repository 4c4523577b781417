"use client";

import Link from "@/components/ui/link";
import { useActionState, useState } from "react";
import { createProvider, updateProvider } from "@/app/(console)/providers/actions";
import { buttonClass, SubmitButton } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useNavigateOnSuccess } from "@/components/providers/use-navigate-on-success";
import { PROVIDER_KINDS, providerKind } from "@/lib/providers/catalog";
import { defaultModelsFor } from "@/lib/providers/default-models";
import { MAX_TAG_LENGTH, MAX_TAGS } from "@/lib/providers/tags";
import { PROVIDER_SLUG_MAX } from "@/lib/providers/schemas";
import type { ActionResult } from "@/lib/actions/result";

export type ProviderFormValues = {
  id: string;
  name: string;
  slug: string;
  kind: string;
  baseUrl: string;
  allowInsecure: boolean;
  description: string;
  region: string;
  tags: string;
};

const KIND_OPTIONS = PROVIDER_KINDS.map((kind) => ({ value: kind.id, label: kind.label }));

type FormState = ActionResult<unknown> | undefined;

/** The create and edit forms share these fields; the kind is chosen once, at creation. */
function ProviderFields({
  state,
  provider,
  action,
}: {
  state: FormState;
  provider?: ProviderFormValues;
  action: (formData: FormData) => void;
}) {
  const [kindId, setKindId] = useState(state?.values?.kind ?? provider?.kind ?? "openai");
  const kind = providerKind(kindId);
  const errors = state?.fieldErrors ?? {};
  const value = (field: keyof ProviderFormValues) =>
    state?.values?.[field] ?? (provider ? String(provider[field]) : "");
  const checked = (field: "allowInsecure" | "importDefaults", fallback: boolean) =>
    state?.values ? state.values[field] === "on" : fallback;
  const defaults = defaultModelsFor(kindId).length;

  return (
    <form action={action} className="max-w-2xl space-y-5" noValidate>
      {provider ? <input type="hidden" name="providerId" value={provider.id} /> : null}
      <TextField
        name="name"
        label="Name"
        required
        autoFocus
        maxLength={80}
        errors={errors.name}
        defaultValue={value("name")}
        hint="Unique, whatever the letter case, e.g. “OpenAI production”."
      />
      <TextField
        name="slug"
        label="Slug"
        required={Boolean(provider)}
        maxLength={PROVIDER_SLUG_MAX}
        errors={errors.slug}
        defaultValue={value("slug")}
        autoComplete="off"
        spellCheck={false}
        placeholder={provider ? undefined : "derived from the name"}
        hint={
          <>
            A short unique name for the gateway, which names models as <code>&lt;slug&gt;/&lt;model id&gt;</code> (e.g.{" "}
            <code>openai-prod/gpt-4o</code>): lower-case letters, digits and dashes.
            {provider
              ? " Changing it breaks applications and gateway keys that use the old name."
              : " Leave empty to derive it from the name."}
          </>
        }
      />
      {provider ? (
        <p className="text-sm text-slate-700">
          <span className="font-medium">Kind:</span> {kind.label}{" "}
          <span className="text-slate-500">(fixed once created: keys and models belong to it)</span>
        </p>
      ) : (
        <SelectField
          name="kind"
          label="Kind"
          options={KIND_OPTIONS}
          errors={errors.kind}
          value={kindId}
          onChange={(event) => setKindId(event.target.value)}
        />
      )}
      <TextField
        name="baseUrl"
        label="Base URL"
        type="url"
        inputMode="url"
        errors={errors.baseUrl}
        defaultValue={value("baseUrl")}
        placeholder={kind.defaultBaseUrl || "https://…"}
        hint={`${kind.baseUrlHint}${!provider && kind.defaultBaseUrl ? ` Leave empty for ${kind.defaultBaseUrl}.` : ""}`}
      />
      <CheckboxField
        name="allowInsecure"
        label="Allow insecure http"
        defaultChecked={checked("allowInsecure", provider?.allowInsecure ?? false)}
        hint="Plain http is always allowed for localhost. Tick this only for a trusted internal network: keys would travel unencrypted."
      />
      <TextAreaField
        name="description"
        label="Description"
        rows={3}
        maxLength={1000}
        errors={errors.description}
        defaultValue={value("description")}
      />
      <TextField
        name="region"
        label="Region / data residency"
        maxLength={200}
        errors={errors.region}
        defaultValue={value("region")}
        hint="Where requests are processed, e.g. “EU (Sweden Central)”."
      />
      <TextField
        name="tags"
        label="Tags"
        errors={errors.tags}
        defaultValue={value("tags")}
        hint={`Comma-separated, up to ${MAX_TAGS} tags of ${MAX_TAG_LENGTH} characters.`}
      />
      {provider ? null : (
        <CheckboxField
          key={kindId}
          name="importDefaults"
          label="Import the default models and prices"
          disabled={defaults === 0}
          defaultChecked={defaults > 0 && checked("importDefaults", true)}
          hint={
            defaults > 0
              ? `${defaults} curated ${kind.label} models with list prices, which you can edit afterwards.`
              : "There is no default list for this kind: add models yourself."
          }
        />
      )}
      <FormMessage state={state} />
      <div className="flex gap-3">
        <SubmitButton pendingLabel={provider ? "Saving…" : "Creating…"}>
          {provider ? "Save changes" : "Create provider"}
        </SubmitButton>
        <Link href={provider ? `/providers/${provider.id}` : "/providers"} className={buttonClass("secondary")}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

export function CreateProviderForm() {
  const [state, action] = useActionState(createProvider, undefined);
  useNavigateOnSuccess(state, (data) => (data ? `/providers/${data.id}` : null));
  return <ProviderFields state={state} action={action} />;
}

export function EditProviderForm({ provider }: { provider: ProviderFormValues }) {
  const [state, action] = useActionState(updateProvider, undefined);
  useNavigateOnSuccess(state, () => `/providers/${provider.id}`);
  return <ProviderFields state={state} provider={provider} action={action} />;
}
