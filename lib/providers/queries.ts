import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { priceInForce } from "@/lib/providers/price-in-force";

// Reads for the provider pages. Decimals leave this module as canonical strings so no page or
// client component ever holds a float or a Decimal instance it cannot serialise.

export const providerListSelect = {
  id: true,
  name: true,
  slug: true,
  kind: true,
  enabled: true,
  archivedAt: true,
  tags: true,
  _count: { select: { models: true } },
} satisfies Prisma.ProviderSelect;

export const providerDetailSelect = {
  id: true,
  name: true,
  slug: true,
  kind: true,
  baseUrl: true,
  allowInsecure: true,
  description: true,
  region: true,
  tags: true,
  enabled: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { models: true } },
} satisfies Prisma.ProviderSelect;

export const priceSelect = {
  id: true,
  inputPerMTok: true,
  outputPerMTok: true,
  cachedInputPerMTok: true,
  effectiveFrom: true,
  createdAt: true,
} satisfies Prisma.ModelPriceSelect;

export const modelSelect = {
  id: true,
  providerId: true,
  modelId: true,
  displayName: true,
  type: true,
  domain: true,
  baseModel: true,
  contextWindow: true,
  maxOutputTokens: true,
  enabled: true,
  updatedAt: true,
  prices: { select: priceSelect, orderBy: { effectiveFrom: "desc" } },
} satisfies Prisma.ModelSelect;

export type ProviderListItem = Prisma.ProviderGetPayload<{ select: typeof providerListSelect }>;
export type ProviderDetail = Prisma.ProviderGetPayload<{ select: typeof providerDetailSelect }>;
type PriceRecord = Prisma.ModelPriceGetPayload<{ select: typeof priceSelect }>;
type ModelRecord = Prisma.ModelGetPayload<{ select: typeof modelSelect }>;

export type PriceRow = {
  id: string;
  input: string;
  output: string;
  cachedInput: string | null;
  effectiveFrom: Date;
  createdAt: Date;
};
export type ModelRow = Omit<ModelRecord, "prices"> & { prices: PriceRow[]; current: PriceRow | null };

const uuid = z.uuid();

/** Malformed ids cannot match a row; checking first keeps PostgreSQL's uuid cast error away. */
export function isUuid(id: string): boolean {
  return uuid.safeParse(id).success;
}

function toPriceRow(price: PriceRecord): PriceRow {
  return {
    id: price.id,
    input: price.inputPerMTok.toFixed(),
    output: price.outputPerMTok.toFixed(),
    cachedInput: price.cachedInputPerMTok?.toFixed() ?? null,
    effectiveFrom: price.effectiveFrom,
    createdAt: price.createdAt,
  };
}

function toModelRow(model: ModelRecord, at: Date): ModelRow {
  const prices = model.prices.map(toPriceRow);
  return { ...model, prices, current: priceInForce(prices, at) };
}

export function listProviders({ includeArchived = false }: { includeArchived?: boolean } = {}): Promise<
  ProviderListItem[]
> {
  return db.provider.findMany({
    select: providerListSelect,
    where: includeArchived ? {} : { archivedAt: null },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
  });
}

export async function countArchivedProviders(): Promise<number> {
  return db.provider.count({ where: { archivedAt: { not: null } } });
}

export async function getProvider(id: string): Promise<ProviderDetail | null> {
  if (!isUuid(id)) return null;
  return db.provider.findUnique({ where: { id }, select: providerDetailSelect });
}

export async function listModels(providerId: string, at: Date = new Date()): Promise<ModelRow[]> {
  if (!isUuid(providerId)) return [];
  const models = await db.model.findMany({
    where: { providerId },
    select: modelSelect,
    orderBy: [{ enabled: "desc" }, { displayName: "asc" }],
  });
  return models.map((model) => toModelRow(model, at));
}

/** A model scoped to its provider: a model id under another provider's URL is a miss. */
export async function getModel(providerId: string, id: string, at: Date = new Date()): Promise<ModelRow | null> {
  if (!isUuid(providerId) || !isUuid(id)) return null;
  const model = await db.model.findFirst({ where: { id, providerId }, select: modelSelect });
  return model ? toModelRow(model, at) : null;
}
