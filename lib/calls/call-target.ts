import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { conflict, notFound } from "@/lib/errors/domain-error";

// What a console-made call needs to know about its provider and model, loaded scoped by provider.

const providerSelect = {
  id: true,
  name: true,
  kind: true,
  baseUrl: true,
  enabled: true,
  archivedAt: true,
} satisfies Prisma.ProviderSelect;
const modelSelect = { id: true, modelId: true, displayName: true } satisfies Prisma.ModelSelect;

export type CallProvider = Prisma.ProviderGetPayload<{ select: typeof providerSelect }>;
export type CallModel = Prisma.ModelGetPayload<{ select: typeof modelSelect }>;

export async function loadCallProvider(providerId: string): Promise<CallProvider> {
  const provider = await db.provider.findUnique({ where: { id: providerId }, select: providerSelect });
  if (!provider) throw notFound("Provider");
  if (provider.archivedAt) throw conflict("This provider is archived. Restore it before testing it.");
  return provider;
}

export async function loadCallModel(providerId: string, modelRowId: string): Promise<CallModel> {
  const model = await db.model.findFirst({ where: { id: modelRowId, providerId }, select: modelSelect });
  if (!model) throw notFound("Model");
  return model;
}

/**
 * The model a key test or health check talks to when none is named: the provider's oldest
 * enabled chat model (embeddings cannot answer a prompt). Null when the provider has none.
 */
export function pickTestModel(providerId: string): Promise<CallModel | null> {
  return db.model.findFirst({
    where: { providerId, enabled: true, type: { not: "EMBEDDING" } },
    select: modelSelect,
    orderBy: [{ createdAt: "asc" }, { modelId: "asc" }],
  });
}
