import { buttonClass } from "@/components/ui/button-styles";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { CatalogSelects, filterControl as control, filterLabel as label } from "@/components/usage/catalog-selects";
import type { LatencyParams } from "@/lib/usage/latency-params";

// A plain GET form: the view lives in the URL (shareable, works without JavaScript).


export async function LatencyFilterForm({ params }: { params: LatencyParams }) {
  const catalog = await loadCatalogLabels();
  return (
    <form method="get" action="/latency" className="mb-6 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Filters">
      <input type="hidden" name="pct" value={params.pct} />
      <label className={label}>
        From
        <input type="date" name="from" defaultValue={params.from} className={`${control} block`} />
      </label>
      <label className={label}>
        To
        <input type="date" name="to" defaultValue={params.to} className={`${control} block`} />
      </label>
      <label className={label}>
        Lines per
        <select name="by" defaultValue={params.by} className={`${control} block`}>
          <option value="provider">provider</option>
          <option value="model">model</option>
        </select>
      </label>
      <label className={label}>
        Step
        <select name="per" defaultValue={params.per} className={`${control} block`}>
          <option value="auto">auto (hourly up to 3 days)</option>
          <option value="hour">hour</option>
          <option value="day">day</option>
        </select>
      </label>
      <CatalogSelects catalog={catalog} provider={params.provider} model={params.model} />
      <button type="submit" className={buttonClass("secondary")}>
        Apply
      </button>
    </form>
  );
}
