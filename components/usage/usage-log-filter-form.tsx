import { requirePageActor } from "@/lib/auth/session";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { FilterFormShell } from "@/components/usage/filter-form-shell";
import { CatalogSelects, filterControl as control, filterLabel as label } from "@/components/usage/catalog-selects";
import { GatewaySelects } from "@/components/usage/gateway-selects";
import type { UsageLogParams } from "@/lib/usage/usage-log-params";

// The usage log's filters. Submitting drops the cursor, so a filtered view starts at the newest
// matching record.

export async function UsageLogFilterForm({ params }: { params: UsageLogParams }) {
  await requirePageActor("usage:read");
  const catalog = await loadCatalogLabels();
  return (
    <FilterFormShell action="/usage" from={params.from} to={params.to}>
      <CatalogSelects catalog={catalog} provider={params.provider} model={params.model} />
      <GatewaySelects catalog={catalog} team={params.team} gatewayKey={params.gatewayKey} />
      <label className={label}>
        Status
        <select name="status" defaultValue={params.status ?? ""} className={`${control} block`}>
          <option value="">all</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
          <option value="cancelled">cancelled</option>
        </select>
      </label>
      <label className={label}>
        Source
        <select name="source" defaultValue={params.source ?? ""} className={`${control} block`}>
          <option value="">all</option>
          <option value="ingest">ingestion API</option>
          <option value="test">test calls</option>
          <option value="gateway">gateway</option>
          <option value="eval">evaluations</option>
          <option value="fine_tune">fine-tuning (training cost)</option>
        </select>
      </label>
      <label className={label}>
        Tag
        <input name="tag" defaultValue={params.tag ?? ""} className={`${control} block w-32`} placeholder="any" />
      </label>
    </FilterFormShell>
  );
}
