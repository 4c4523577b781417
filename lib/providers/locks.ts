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

/** Slugs are lower case by format, so the plain unique index is exact; this turns a clash into a field error. */
export async function assertSlugFree(tx: Tx, slug: string, exceptId?: string): Promise<void> {
  if (!slug) return;
  const clash = await tx.provider.findFirst({
    where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true, archivedAt: true },
  });
  if (clash) throw slugTaken(slug, clash.name, clash.archivedAt !== null);
}

export function slugTaken(slug: string, owner?: string, archived = false) {
  const who = owner ? `${archived ? "the archived provider" : "the provider"} “${owner}”` : "another provider";
  return conflict("Choose another slug.", { slug: [`The slug “${slug}” already belongs to ${who}.`] });
}

/**
 * Whether a Prisma unique violation (P2002) was on this column. With the pg driver adapter the
 * column sits in a nested meta object rather than `meta.target`, so the whole meta is searched.
 */
export function isUniqueViolationOn(error: unknown, column: string): boolean {
  if (!isUniqueViolation(error)) return false;
  const meta = (error as { meta?: unknown }).meta;
  return JSON.stringify(meta ?? {}).includes(column);
}

export function isUniqueViolation(error: unknown): boolean {
  return Boolean(error && typeof error === "object" && "code" in error && error.code === "P2002");
}
