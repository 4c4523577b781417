import "server-only";
import { cache } from "react";
import { pool } from "@/lib/db/client";
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

type LabelRow = { kind: "p" | "m" | "k"; id: string; provider_id: string | null; name: string };

// One round trip for the three lists, cached per request: several widgets on one page each ask
// for the labels, and the ORM's per-query cost dominated page time under load.
export const loadCatalogLabels = cache(async (): Promise<CatalogLabels> => {
  const { rows } = await pool.query<LabelRow>(
    `SELECT 'p' AS kind, id::text, NULL::text AS provider_id, name FROM providers
     UNION ALL SELECT 'm', id::text, provider_id::text, model_id FROM models
     UNION ALL SELECT 'k', id::text, provider_id::text, label FROM provider_keys
     ORDER BY kind, name, id`,
  );
  const providers = rows.filter((row) => row.kind === "p").map((row) => ({ id: row.id, name: row.name }));
  const models = rows
    .filter((row) => row.kind === "m")
    .map((row) => ({ id: row.id, providerId: row.provider_id!, modelId: row.name }));
  const keys = rows
    .filter((row) => row.kind === "k")
    .map((row) => ({ id: row.id, providerId: row.provider_id!, label: row.name }));
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
});
