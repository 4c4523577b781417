import "server-only";
import { pool } from "@/lib/db/client";

// Resolves the provider/model/key references of one batch with one query (two when keys are
// named). Providers are named by name or id, models by their provider model id ("gpt-4o") or
// console id, keys by id. Plain SQL on the pool: this runs once per ingest batch, and the ORM's
// per-query overhead was a measurable share of a 1,000-record batch.

export type CatalogRefs = { provider: string; model: string; keyId?: string | null };

export type Resolved =
  | { ok: true; providerId: string; modelId: string; keyId: string | null }
  | { ok: false; field: "provider" | "model" | "keyId"; message: string };

export type CatalogResolver = (refs: CatalogRefs) => Resolved;

const CATALOG_SQL = `SELECT p.id::text AS provider_id, p.name, m.id::text AS model_id, m.model_id AS model_name
  FROM providers p LEFT JOIN models m ON m.provider_id = p.id
  WHERE p.name = ANY($1::text[]) OR p.id::text = ANY($1::text[])`;

const KEYS_SQL =
  "SELECT id::text AS id, provider_id::text AS provider_id FROM provider_keys WHERE id = ANY($1::uuid[])";

export async function loadCatalogResolver(batch: readonly CatalogRefs[]): Promise<CatalogResolver> {
  const providerRefs = [...new Set(batch.map((refs) => refs.provider))];
  const keyIds = [...new Set(batch.map((refs) => refs.keyId).filter((id): id is string => !!id))];
  const [catalog, keys] = await Promise.all([
    pool.query<{ provider_id: string; name: string; model_id: string | null; model_name: string | null }>(CATALOG_SQL, [
      providerRefs,
    ]),
    keyIds.length ? pool.query<{ id: string; provider_id: string }>(KEYS_SQL, [keyIds]) : Promise.resolve({ rows: [] }),
  ]);
  const providerByRef = new Map<string, string>();
  const modelByRef = new Map<string, string>();
  for (const row of catalog.rows) {
    providerByRef.set(row.provider_id, row.provider_id);
    providerByRef.set(row.name, row.provider_id);
    if (!row.model_id || row.model_name === null) continue;
    modelByRef.set(`${row.provider_id}|${row.model_id}`, row.model_id);
    modelByRef.set(`${row.provider_id}|${row.model_name}`, row.model_id);
  }
  const keyProvider = new Map(keys.rows.map((key) => [key.id, key.provider_id]));

  return (refs) => {
    const providerId = providerByRef.get(refs.provider);
    if (!providerId) return { ok: false, field: "provider", message: `Unknown provider "${refs.provider}".` };
    const modelId = modelByRef.get(`${providerId}|${refs.model}`);
    if (!modelId)
      return { ok: false, field: "model", message: `Unknown model "${refs.model}" for provider "${refs.provider}".` };
    if (refs.keyId && keyProvider.get(refs.keyId) !== providerId) {
      return { ok: false, field: "keyId", message: "keyId is not a key of this provider." };
    }
    return { ok: true, providerId, modelId, keyId: refs.keyId ?? null };
  };
}
