import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFound } from "@/lib/errors/domain-error";

type Tx = Prisma.TransactionClient;

/**
 * Serialises provider name checks: names are unique case-insensitively, which the plain unique
 * index cannot enforce, so the check-then-write runs under one transaction-scoped advisory lock.
 */
export async function lockProviderNames(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('providers.name'))`;
}

/**
 * Locks the provider row for the rest of the transaction and returns whether it is archived.
 * Inserting a key takes a share lock on the same row (its foreign key), so a delete decided
 * here cannot race a key being added.
 */
export async function lockProvider(tx: Tx, providerId: string): Promise<{ archived: boolean }> {
  const rows = await tx.$queryRaw<
    { archived: boolean }[]
  >`SELECT archived_at IS NOT NULL AS archived FROM providers WHERE id = ${providerId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound("Provider");
  return row;
}

/** Models, prices and settings of an archived provider are frozen until it is restored. */
export async function lockActiveProvider(tx: Tx, providerId: string): Promise<void> {
  const { archived } = await lockProvider(tx, providerId);
  if (archived) throw conflict("This provider is archived. Restore it before changing it.");
}

export async function assertNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.provider.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true, archivedAt: true },
  });
  if (clash) {
    const where = clash.archivedAt ? " (archived: restore and rename it, or pick another name)" : "";
    throw conflict("Choose another name.", { name: [`A provider named “${clash.name}” already exists${where}.`] });
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return Boolean(error && typeof error === "object" && "code" in error && error.code === "P2002");
}
