import "server-only";
import { cache } from "react";
import { pool } from "@/lib/db/client";
import { NONE_ID } from "@/lib/usage/buckets";
import type { Dimension } from "@/lib/usage/usage-filters";

// Names for the ids in usage rows, resolved at read time (a renamed team shows its new name over
// its whole history). The ledger has no foreign keys (history outlives catalog edits), so a deleted
// provider/model/key/team shows as "deleted …" rather than disappearing.

export type CatalogLabels = {
  providers: { id: string; name: string }[];
  models: { id: string; providerId: string; modelId: string }[];
  keys: { id: string; providerId: string; label: string }[];
  teams: { id: string; name: string }[];
  gatewayKeys: { id: string; teamId: string; name: string; last4: string }[];
  label: (dimension: Dimension, id: string | null) => string;
};

/** The nil UUID in the team / gateway key columns: usage that came in without the gateway. */
export const NO_TEAM_LABEL = "No team";
export const NO_GATEWAY_KEY_LABEL = "Direct (no gateway key)";

// provider_id carries a model's provider, a provider key's provider, or a gateway key's team.
type LabelRow = {
  kind: "p" | "m" | "k" | "t" | "g";
  id: string;
  provider_id: string | null;
  name: string;
  last4: string | null;
};

// One round trip for the five lists, cached per request: several widgets on one page each ask
// for the labels, and the ORM's per-query cost dominated page time under load.
export const loadCatalogLabels = cache(async (): Promise<CatalogLabels> => {
  const { rows } = await pool.query<LabelRow>(
    `SELECT 'p' AS kind, id::text, NULL::text AS provider_id, name, NULL::text AS last4 FROM providers
     UNION ALL SELECT 'm', id::text, provider_id::text, model_id, NULL FROM models
     UNION ALL SELECT 'k', id::text, provider_id::text, label, NULL FROM provider_keys
     UNION ALL SELECT 't', id::text, NULL, name, NULL FROM teams
     UNION ALL SELECT 'g', id::text, team_id::text, name, last4 FROM gateway_keys
     ORDER BY kind, name, id`,
  );
  const providers = rows.filter((row) => row.kind === "p").map((row) => ({ id: row.id, name: row.name }));
  const models = rows
    .filter((row) => row.kind === "m")
    .map((row) => ({ id: row.id, providerId: row.provider_id!, modelId: row.name }));
  const keys = rows
    .filter((row) => row.kind === "k")
    .map((row) => ({ id: row.id, providerId: row.provider_id!, label: row.name }));
  const teams = rows.filter((row) => row.kind === "t").map((row) => ({ id: row.id, name: row.name }));
  const gatewayKeys = rows
    .filter((row) => row.kind === "g")
    .map((row) => ({ id: row.id, teamId: row.provider_id!, name: row.name, last4: row.last4 ?? "" }));
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const modelName = new Map(models.map((m) => [m.id, `${providerName.get(m.providerId) ?? "?"} / ${m.modelId}`]));
  const keyName = new Map(keys.map((k) => [k.id, `${providerName.get(k.providerId) ?? "?"} / ${k.label}`]));
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  // A key name alone is ambiguous (names repeat across teams and rotations): the last 4 tell them apart.
  const gatewayKeyName = new Map(gatewayKeys.map((k) => [k.id, `${k.name} …${k.last4}`]));
  // Per dimension: its names, the label of its nil UUID ("none"), and the noun for a deleted id.
  const lookup: Record<Exclude<Dimension, "tag">, { names: Map<string, string>; none: string; noun: string }> = {
    provider: { names: providerName, none: "(none)", noun: "provider" },
    model: { names: modelName, none: "(none)", noun: "model" },
    key: { names: keyName, none: "(no key)", noun: "key" },
    team: { names: teamName, none: NO_TEAM_LABEL, noun: "team" },
    gatewayKey: { names: gatewayKeyName, none: NO_GATEWAY_KEY_LABEL, noun: "gateway key" },
  };
  const label = (dimension: Dimension, id: string | null) => {
    if (dimension === "tag") return id ? id : "(no tag)";
    const { names, none, noun } = lookup[dimension];
    if (!id || id === NONE_ID) return none;
    return names.get(id) ?? `deleted ${noun} ${id.slice(0, 8)}`;
  };
  return { providers, models, keys, teams, gatewayKeys, label };
});
