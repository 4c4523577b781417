import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { diffConfig, type ConfigChange } from "@/lib/config/diff";
import { snapshotFromStored } from "@/lib/config/schemas";
import type { ConfigSnapshot } from "@/lib/config/fields";

// Reads for the configuration page and for getEffectiveConfig. The budget leaves this module as
// a decimal string so no caller ever holds it as a float.

export const configProviderSelect = {
  id: true,
  name: true,
  kind: true,
  archivedAt: true,
} satisfies Prisma.ProviderSelect;
export const configModelSelect = {
  id: true,
  providerId: true,
  modelId: true,
  displayName: true,
  enabled: true,
} satisfies Prisma.ModelSelect;
export const configVersionSelect = {
  version: true,
  values: true,
  monthlyBudgetUsd: true,
  comment: true,
  rolledBackFrom: true,
  createdAt: true,
  author: { select: { email: true } },
} satisfies Prisma.ConfigVersionSelect;

export type ConfigProvider = Prisma.ProviderGetPayload<{ select: typeof configProviderSelect }>;
export type ConfigModel = Prisma.ModelGetPayload<{ select: typeof configModelSelect }>;
type ConfigVersionRecord = Prisma.ConfigVersionGetPayload<{ select: typeof configVersionSelect }>;

export type ConfigVersionRow = {
  version: number;
  snapshot: ConfigSnapshot;
  comment: string;
  rolledBackFrom: number | null;
  createdAt: Date;
  authorEmail: string | null;
};
export type ConfigVersionWithChanges = ConfigVersionRow & { changes: ConfigChange[] };

type ReadClient = Pick<Prisma.TransactionClient, "configVersion">;

const uuid = z.uuid();
export const isUuid = (id: string) => uuid.safeParse(id).success;

export function toVersionRow(record: ConfigVersionRecord): ConfigVersionRow {
  return {
    version: record.version,
    snapshot: snapshotFromStored(record.values, record.monthlyBudgetUsd?.toFixed(2) ?? null),
    comment: record.comment,
    rolledBackFrom: record.rolledBackFrom,
    createdAt: record.createdAt,
    authorEmail: record.author?.email ?? null,
  };
}

export async function getConfigProvider(providerId: string): Promise<ConfigProvider | null> {
  if (!isUuid(providerId)) return null;
  return db.provider.findUnique({ where: { id: providerId }, select: configProviderSelect });
}

export async function listConfigModels(providerId: string): Promise<ConfigModel[]> {
  if (!isUuid(providerId)) return [];
  return db.model.findMany({
    where: { providerId },
    select: configModelSelect,
    orderBy: [{ displayName: "asc" }, { modelId: "asc" }],
  });
}

/**
 * A model of this provider, by its row id or by the id the provider's API knows it by
 * ("gpt-4o"), so test calls and the playground can ask with either. Scoped to the provider: a
 * model of another provider is a miss.
 */
export async function findConfigModel(providerId: string, idOrApiId: string): Promise<ConfigModel | null> {
  if (!isUuid(providerId) || !idOrApiId) return null;
  const where: Prisma.ModelWhereInput = isUuid(idOrApiId)
    ? { providerId, OR: [{ id: idOrApiId }, { modelId: idOrApiId }] }
    : { providerId, modelId: idOrApiId };
  return db.model.findFirst({ where, select: configModelSelect, orderBy: { createdAt: "asc" } });
}

export async function latestConfigVersion(
  providerId: string,
  modelId: string | null,
  client: ReadClient = db,
): Promise<ConfigVersionRow | null> {
  const record = await client.configVersion.findFirst({
    where: { providerId, modelId },
    select: configVersionSelect,
    orderBy: { version: "desc" },
  });
  return record ? toVersionRow(record) : null;
}

export async function findConfigVersion(
  providerId: string,
  modelId: string | null,
  version: number,
  client: ReadClient = db,
): Promise<ConfigVersionRow | null> {
  const record = await client.configVersion.findFirst({
    where: { providerId, modelId, version },
    select: configVersionSelect,
  });
  return record ? toVersionRow(record) : null;
}

/** Newest first, each with its changes against the version before it. */
export async function listConfigVersions(
  providerId: string,
  modelId: string | null,
  limit = 50,
): Promise<{ versions: ConfigVersionWithChanges[]; more: boolean }> {
  // One extra row: the oldest listed version still needs its predecessor for its diff.
  const records = await db.configVersion.findMany({
    where: { providerId, modelId },
    select: configVersionSelect,
    orderBy: { version: "desc" },
    take: limit + 1,
  });
  const rows = records.map(toVersionRow);
  const versions = rows.slice(0, limit).map((row, index) => {
    const previous = rows[index + 1] ?? null;
    return { ...row, changes: diffConfig(previous?.snapshot ?? null, row.snapshot) };
  });
  return { versions, more: rows.length > limit };
}
