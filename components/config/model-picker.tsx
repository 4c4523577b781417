"use client";

import { buttonClass } from "@/components/ui/button";

type PickerModel = { id: string; modelId: string; displayName: string; enabled: boolean };

/**
 * Switches between the provider's configuration and one model's. A plain GET form, so the choice
 * lives in the URL (?model=) and works without JavaScript; with it, choosing submits at once.
 */
export function ModelPicker({
  providerId,
  models,
  selected,
}: {
  providerId: string;
  models: PickerModel[];
  selected: string | null;
}) {
  return (
    <form
      method="get"
      action={`/providers/${providerId}/configuration`}
      className="flex flex-wrap items-end gap-3"
      aria-label="Choose what to configure"
    >
      <div className="min-w-64 space-y-1">
        <label htmlFor="config-model" className="block text-sm font-medium text-slate-700">
          Configure
        </label>
        <select
          id="config-model"
          name="model"
          defaultValue={selected ?? ""}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30"
        >
          <option value="">All models (provider level)</option>
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.displayName} ({model.modelId}){model.enabled ? "" : " — disabled"}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass("secondary")}>
        Show
      </button>
      {models.length === 0 ? (
        <p className="text-sm text-slate-500">
          This provider has no models yet: only the provider level can be configured.
        </p>
      ) : null}
    </form>
  );
}
