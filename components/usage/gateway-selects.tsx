import type { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { NONE_ID } from "@/lib/usage/buckets";
import { filterControl, filterLabel } from "@/components/usage/catalog-selects";

// Team and gateway key pickers for the usage filter forms. The nil UUID picks usage without one
// (requests that did not come through the gateway), the rollups' "none".

type Catalog = Awaited<ReturnType<typeof loadCatalogLabels>>;

export function GatewaySelects({
  catalog,
  team,
  gatewayKey,
}: {
  catalog: Catalog;
  team?: string;
  gatewayKey?: string;
}) {
  return (
    <>
      <label className={filterLabel}>
        Team
        <select name="team" defaultValue={team ?? ""} className={`${filterControl} block`}>
          <option value="">all</option>
          <option value={NONE_ID}>{catalog.label("team", NONE_ID)}</option>
          {catalog.teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label className={filterLabel}>
        Gateway key
        <select name="gatewayKey" defaultValue={gatewayKey ?? ""} className={`${filterControl} block`}>
          <option value="">all</option>
          <option value={NONE_ID}>{catalog.label("gatewayKey", NONE_ID)}</option>
          {catalog.gatewayKeys.map((k) => (
            <option key={k.id} value={k.id}>
              {catalog.label("team", k.teamId)} / {catalog.label("gatewayKey", k.id)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
