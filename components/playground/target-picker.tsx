"use client";

import type { Target } from "@/components/playground/use-playground-runs";
import type { PlaygroundProvider } from "@/lib/playground/catalog";

const select =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 disabled:bg-slate-100";

type Props = {
  index: number;
  target: Target;
  providers: PlaygroundProvider[];
  disabled: boolean;
  onChange: (target: Target) => void;
  onRemove?: () => void;
};

/** Provider, model and key for one column of the comparison. */
export function TargetPicker({ index, target, providers, disabled, onChange, onRemove }: Props) {
  const provider = providers.find((p) => p.id === target.providerId);
  const n = index + 1;
  return (
    <fieldset
      className="grid gap-2 rounded-md p-3 ring-1 ring-slate-200 sm:grid-cols-[1fr_1fr_1fr_auto]"
      disabled={disabled}
    >
      <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Model {n}</legend>
      <label className="text-xs text-slate-600">
        Provider
        <select
          className={select}
          aria-label={`Provider ${n}`}
          value={target.providerId}
          onChange={(event) => {
            const next = providers.find((p) => p.id === event.target.value);
            onChange({ ...target, providerId: event.target.value, modelId: next?.models[0]?.id ?? "", keyId: "" });
          }}
        >
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs text-slate-600">
        Model
        <select
          className={select}
          aria-label={`Model ${n}`}
          value={target.modelId}
          onChange={(event) => onChange({ ...target, modelId: event.target.value })}
        >
          {provider?.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.displayName} ({m.modelId})
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs text-slate-600">
        Key
        <select
          className={select}
          aria-label={`Key ${n}`}
          value={target.keyId}
          onChange={(event) => onChange({ ...target, keyId: event.target.value })}
        >
          <option value="">Primary key</option>
          {provider?.keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label} (…{k.last4}){k.isPrimary ? " · primary" : ""}
            </option>
          ))}
        </select>
      </label>
      {onRemove ? (
        <button
          type="button"
          onClick={onRemove}
          className="self-end rounded-md px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100"
          aria-label={`Remove model ${n}`}
        >
          Remove
        </button>
      ) : (
        <span />
      )}
    </fieldset>
  );
}
