import "server-only";
import { db } from "@/lib/db/client";
import { NONE_ID } from "@/lib/usage/buckets";
import type { Dimension } from "@/lib/usage/usage-filters";

// Names for the ids in usage rows. The ledger has no foreign keys (history outlives catalog
// edits), so a deleted provider/model/key shows as "deleted …" rather than disappearing.

export type CatalogLabels = {
  providers: { id: string; name: string }[];
  models: { id: string; providerId: string; modelId: string }[];
  keys: { id: string; providerId: string; label: string }[];
  label: (dimension: Dimension, id: string | null) => string;
};

export async function loadCatalogLabels(): Promise<CatalogLabels> {
  const [providers, models, keys] = await Promise.all([
    db.provider.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.model.findMany({ select: { id: true, providerId: true, modelId: true }, orderBy: { modelId: "asc" } }),
    db.providerKey.findMany({ select: { id: true, providerId: true, label: true }, orderBy: { label: "asc" } }),
  ]);
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const modelName = new Map(models.map((m) => [m.id, `${providerName.get(m.providerId) ?? "?"} / ${m.modelId}`]));
  const keyName = new Map(keys.map((k) => [k.id, `${providerName.get(k.providerId) ?? "?"} / ${k.label}`]));
  const label = (dimension: Dimension, id: string | null) => {
    if (dimension === "tag") return id ? id : "(no tag)";
    if (!id || id === NONE_ID) return dimension === "key" ? "(no key)" : "(none)";
    const names = dimension === "provider" ? providerName : dimension === "model" ? modelName : keyName;
    return names.get(id) ?? `deleted ${dimension} ${id.slice(0, 8)}`;
  };
  return { providers, models, keys, label };
}
