"use client";

import { useActionState } from "react";
import { importModels, listImportableModels } from "@/app/(console)/providers/[id]/test-calls/actions";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

/**
 * "Import models": reads the provider's own model list with the primary key, then adds the
 * ticked ones the catalog lacks. Models already in the catalog are shown but cannot be ticked.
 */
export function ImportModelsPanel({ providerId }: { providerId: string }) {
  const [listed, list] = useActionState(listImportableModels, undefined);
  const [imported, runImport] = useActionState(importModels, undefined);
  const models = listed?.ok ? (listed.data?.models ?? []) : [];
  const importedIds = new Set(imported?.ok ? (imported.data?.imported ?? []) : []);
  const newCount = models.filter((model) => !model.present && !importedIds.has(model.id)).length;
  return (
    <Card title="Import models from the provider">
      <form action={list} className="mb-4 flex flex-wrap items-center gap-3">
        <input type="hidden" name="providerId" value={providerId} />
        <SubmitButton variant="secondary" pendingLabel="Asking the provider…">
          {listed?.ok ? "Refresh the list" : "List the provider's models"}
        </SubmitButton>
        <p className="text-sm text-slate-600">Uses the primary key; listing models costs nothing.</p>
      </form>
      {listed && !listed.ok ? <FormMessage state={listed} /> : null}
      {listed?.ok ? (
        models.length === 0 ? (
          <p className="text-sm text-slate-600">The provider lists no models.</p>
        ) : (
          <form action={runImport} className="space-y-3" aria-label="Pick models to import">
            <input type="hidden" name="providerId" value={providerId} />
            <p className="text-sm text-slate-600">
              {models.length} listed, {newCount} not in the catalog yet. Imported models have no price until you add
              one.
            </p>
            <ul className="max-h-80 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200">
              {models.map((model) => {
                const present = model.present || importedIds.has(model.id);
                return (
                  <li key={model.id} className="px-3 py-2 text-sm">
                    <label className={`flex items-center gap-3 ${present ? "text-slate-400" : "text-slate-800"}`}>
                      <input type="checkbox" name="modelIds[]" value={model.id} disabled={present} />
                      <code>{model.id}</code>
                      {model.displayName ? <span>{model.displayName}</span> : null}
                      {model.contextWindow ? (
                        <span className="text-xs text-slate-500">
                          {model.contextWindow.toLocaleString("en-US")} tokens
                        </span>
                      ) : null}
                      {present ? <span className="text-xs">already in the catalog</span> : null}
                    </label>
                  </li>
                );
              })}
            </ul>
            {imported?.fieldErrors?.modelIds ? (
              <p role="alert" className="text-sm text-red-600">
                {imported.fieldErrors.modelIds.join(" ")}
              </p>
            ) : null}
            <FormMessage state={imported} />
            <SubmitButton pendingLabel="Importing…" disabled={newCount === 0}>
              Import selected
            </SubmitButton>
          </form>
        )
      ) : null}
    </Card>
  );
}
