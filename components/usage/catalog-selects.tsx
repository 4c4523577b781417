import type { loadCatalogLabels } from "@/lib/usage/catalog-labels";

// Styles and the provider/model pickers shared by the spend, latency and usage-log filter forms
// (plain GET forms, so the filters land in the URL).
export const filterControl = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
export const filterLabel = "text-xs font-medium text-slate-600";

type Catalog = Awaited<ReturnType<typeof loadCatalogLabels>>;

export function CatalogSelects({ catalog, provider, model }: { catalog: Catalog; provider?: string; model?: string }) {
  return (
    <>
      <label className={filterLabel}>
        Provider
        <select name="provider" defaultValue={provider ?? ""} className={`${filterControl} block`}>
          <option value="">all</option>
          {catalog.providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className={filterLabel}>
        Model
        <select name="model" defaultValue={model ?? ""} className={`${filterControl} block`}>
          <option value="">all</option>
          {catalog.models.map((m) => (
            <option key={m.id} value={m.id}>
              {catalog.label("model", m.id)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
