import "server-only";
import { db } from "@/lib/db/client";

// Resolves the provider/model/key references of one batch with three queries. Providers are named
// by name or id, models by their provider model id ("gpt-4o") or console id, keys by id.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CatalogRefs = { provider: string; model: string; keyId?: string | null };

export type Resolved =
  | { ok: true; providerId: string; modelId: string; keyId: string | null }
  | { ok: false; field: "provider" | "model" | "keyId"; message: string };

export type CatalogResolver = (refs: CatalogRefs) => Resolved;

export async function loadCatalogResolver(batch: readonly CatalogRefs[]): Promise<CatalogResolver> {
  const providerRefs = [...new Set(batch.map((refs) => refs.provider))];
  const providers = await db.provider.findMany({
    where: { OR: [{ name: { in: providerRefs } }, { id: { in: providerRefs.filter((ref) => UUID.test(ref)) } }] },
    select: { id: true, name: true },
  });
  const providerByRef = new Map<string, string>();
  for (const provider of providers) {
    providerByRef.set(provider.id, provider.id);
    providerByRef.set(provider.name, provider.id);
  }
  const providerIds = [...new Set(providers.map((provider) => provider.id))];
  const keyIds = [...new Set(batch.map((refs) => refs.keyId).filter((id): id is string => !!id))];
  const [models, keys] = await Promise.all([
    db.model.findMany({ where: { providerId: { in: providerIds } }, select: { id: true, providerId: true, modelId: true } }),
    keyIds.length ? db.providerKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, providerId: true } }) : Promise.resolve([]),
  ]);
  const modelByRef = new Map<string, string>();
  for (const model of models) {
    modelByRef.set(`${model.providerId}|${model.id}`, model.id);
    modelByRef.set(`${model.providerId}|${model.modelId}`, model.id);
  }
  const keyProvider = new Map(keys.map((key) => [key.id, key.providerId]));

  return (refs) => {
    const providerId = providerByRef.get(refs.provider);
    if (!providerId) return { ok: false, field: "provider", message: `Unknown provider "${refs.provider}".` };
    const modelId = modelByRef.get(`${providerId}|${refs.model}`);
    if (!modelId) return { ok: false, field: "model", message: `Unknown model "${refs.model}" for provider "${refs.provider}".` };
    if (refs.keyId && keyProvider.get(refs.keyId) !== providerId) {
      return { ok: false, field: "keyId", message: "keyId is not a key of this provider." };
    }
    return { ok: true, providerId, modelId, keyId: refs.keyId ?? null };
  };
}
