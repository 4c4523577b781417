import { requirePageActor } from "@/lib/auth/session";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { FilterFormShell } from "@/components/usage/filter-form-shell";
import { CatalogSelects, filterControl as control, filterLabel as label } from "@/components/usage/catalog-selects";
import { GatewaySelects } from "@/components/usage/gateway-selects";
import type { SpendParams } from "@/lib/usage/spend-params";

// The spend page's filters: range, period, stacking, provider/model, team/gateway key and tag.

export async function UsageFilterForm({ params, action }: { params: SpendParams; action: string }) {
  await requirePageActor("spend:read");
  const catalog = await loadCatalogLabels();
  return (
    <FilterFormShell action={action} from={params.from} to={params.to}>
      <label className={label}>
        Per
        <select name="period" defaultValue={params.period} className={`${control} block`}>
          <option value="day">day</option>
          <option value="week">week</option>
          <option value="month">month</option>
        </select>
      </label>
      <label className={label}>
        Stack by
        <select name="by" defaultValue={params.by} className={`${control} block`}>
          <option value="provider">provider</option>
          <option value="model">model</option>
          <option value="key">provider key</option>
          <option value="tag">tag</option>
          <option value="team">team</option>
          <option value="gatewayKey">gateway key</option>
        </select>
      </label>
      <CatalogSelects catalog={catalog} provider={params.provider} model={params.model} />
      <GatewaySelects catalog={catalog} team={params.team} gatewayKey={params.gatewayKey} />
      <label className={label}>
        Tag
        <input name="tag" defaultValue={params.tag ?? ""} className={`${control} block w-32`} placeholder="any" />
      </label>
    </FilterFormShell>
  );
}
