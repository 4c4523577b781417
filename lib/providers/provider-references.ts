import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { decideDelete, type DeletePlan, type ProviderReferences } from "@/lib/providers/delete-policy";

type Client = Pick<Prisma.TransactionClient, "providerKey" | "usageRecord" | "usageRollupDaily">;

/**
 * What refers to a provider. Usage rows point at providers without a foreign key (the ledger
 * outlives what it describes), so this check is what keeps their provider from vanishing.
 */
export async function providerReferences(providerId: string, client: Client = db): Promise<ProviderReferences> {
  // One after the other: inside a transaction both run on the same connection anyway.
  const liveKeys = await client.providerKey.count({ where: { providerId, status: { not: "REVOKED" } } });
  const revokedKeys = await client.providerKey.count({ where: { providerId, status: "REVOKED" } });
  // Existence is enough, and stays an index hit on a large ledger.
  const usage = await client.usageRecord.findFirst({ where: { providerId }, select: { id: true } });
  // Retention deletes raw records but keeps the daily rollups: that history counts as usage too.
  const history = usage
    ? usage
    : await client.usageRollupDaily.findFirst({ where: { providerId }, select: { providerId: true } });
  return { liveKeys, revokedKeys, hasUsage: history !== null };
}

export async function planProviderDelete(providerId: string, client: Client = db): Promise<DeletePlan> {
  return decideDelete(await providerReferences(providerId, client));
}
