import { buttonClass } from "@/components/ui/button-styles";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { CatalogSelects, filterControl as control } from "@/components/usage/catalog-selects";
import type { SpendParams } from "@/lib/usage/spend-params";

// A plain GET form: submitting it rewrites the URL, so every view is a shareable link and works
// without JavaScript.


export async function UsageFilterForm({ params, action, showGrouping = true }: { params: SpendParams; action: string; showGrouping?: boolean }) {
  const catalog = await loadCatalogLabels();
  return (
    <form method="get" action={action} className="mb-6 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Filters">
      <label className="text-xs font-medium text-slate-600">
        From
        <input type="date" name="from" defaultValue={params.from} className={`${control} block`} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        To
        <input type="date" name="to" defaultValue={params.to} className={`${control} block`} />
      </label>
      {showGrouping ? (
        <>
          <label className="text-xs font-medium text-slate-600">
            Per
            <select name="period" defaultValue={params.period} className={`${control} block`}>
              <option value="day">day</option>
              <option value="week">week</option>
              <option value="month">month</option>
            </select>
          </label>
          <label className="text-xs font-medium text-slate-600">
            Stack by
            <select name="by" defaultValue={params.by} className={`${control} block`}>
              <option value="provider">provider</option>
              <option value="model">model</option>
              <option value="key">key</option>
              <option value="tag">tag</option>
            </select>
          </label>
        </>
      ) : null}
      <CatalogSelects catalog={catalog} provider={params.provider} model={params.model} />
      <label className="text-xs font-medium text-slate-600">
        Tag
        <input name="tag" defaultValue={params.tag ?? ""} className={`${control} block w-32`} placeholder="any" />
      </label>
      <button type="submit" className={buttonClass("secondary")}>
        Apply
      </button>
    </form>
  );
}
