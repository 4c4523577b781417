import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { decideDelete, type DeletePlan, type ProviderReferences } from "@/lib/providers/delete-policy";

type Client = Pick<Prisma.TransactionClient, "providerKey">;

/**
 * Counts what refers to a provider. There is no usage table yet: when usage recording lands,
 * its row count joins here and the delete policy archives instead of deleting automatically.
 */
export async function providerReferences(providerId: string, client: Client = db): Promise<ProviderReferences> {
  // One after the other: inside a transaction both run on the same connection anyway.
  const liveKeys = await client.providerKey.count({ where: { providerId, status: { not: "REVOKED" } } });
  const revokedKeys = await client.providerKey.count({ where: { providerId, status: "REVOKED" } });
  return { liveKeys, revokedKeys, usageRecords: 0 };
}

export async function planProviderDelete(providerId: string, client: Client = db): Promise<DeletePlan> {
  return decideDelete(await providerReferences(providerId, client));
}
