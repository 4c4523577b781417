import { requirePageActor } from "@/lib/auth/session";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { FilterFormShell } from "@/components/usage/filter-form-shell";
import { CatalogSelects, filterControl as control, filterLabel as label } from "@/components/usage/catalog-selects";
import type { LatencyParams } from "@/lib/usage/latency-params";

// The latency page's filters; the percentile tab (pct) rides along unchanged.

export async function LatencyFilterForm({ params }: { params: LatencyParams }) {
  await requirePageActor("usage:read");
  const catalog = await loadCatalogLabels();
  return (
    <FilterFormShell action="/latency" from={params.from} to={params.to}>
      <input type="hidden" name="pct" value={params.pct} />
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
    </FilterFormShell>
  );
}
