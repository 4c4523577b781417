import { buttonClass } from "@/components/ui/button-styles";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { CatalogSelects, filterControl as control, filterLabel as label } from "@/components/usage/catalog-selects";
import type { UsageLogParams } from "@/lib/usage/usage-log-params";

// A plain GET form (works without JavaScript): submitting it rewrites the URL and drops the cursor,
// so a filtered view starts at the newest matching record and can be shared as a link.


export async function UsageLogFilterForm({ params }: { params: UsageLogParams }) {
  const catalog = await loadCatalogLabels();
  return (
    <form method="get" action="/usage" className="mb-6 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Filters">
      <label className={label}>
        From
        <input type="date" name="from" defaultValue={params.from} className={`${control} block`} />
      </label>
      <label className={label}>
        To
        <input type="date" name="to" defaultValue={params.to} className={`${control} block`} />
      </label>
      <CatalogSelects catalog={catalog} provider={params.provider} model={params.model} />
      <label className={label}>
        Status
        <select name="status" defaultValue={params.status ?? ""} className={`${control} block`}>
          <option value="">all</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
        </select>
      </label>
      <label className={label}>
        Source
        <select name="source" defaultValue={params.source ?? ""} className={`${control} block`}>
          <option value="">all</option>
          <option value="ingest">ingestion API</option>
          <option value="test">test calls</option>
          <option value="gateway">gateway</option>
        </select>
      </label>
      <label className={label}>
        Tag
        <input name="tag" defaultValue={params.tag ?? ""} className={`${control} block w-32`} placeholder="any" />
      </label>
      <button type="submit" className={buttonClass("secondary")}>
        Apply
      </button>
    </form>
  );
}
