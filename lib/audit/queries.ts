import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { dayRange, type AuditFilters } from "@/lib/audit/schemas";

export const AUDIT_PAGE_SIZE = 50;

export const auditEventSelect = {
  id: true,
  at: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  details: true,
} satisfies Prisma.AuditEventSelect;

type AuditEventRow = Prisma.AuditEventGetPayload<{ select: typeof auditEventSelect }>;

// The id is a bigint in PostgreSQL; as a string it survives JSON and RSC payloads.
export type AuditEventItem = Omit<AuditEventRow, "id"> & { id: string };
export type AuditPage = { events: AuditEventItem[]; olderBefore: string | null };

export function auditWhere(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = {};
  if (filters.actor) where.actorEmail = { contains: filters.actor, mode: "insensitive" };
  if (filters.action) where.action = filters.action;
  if (filters.target) where.OR = [{ targetId: filters.target }, { targetType: filters.target }];
  if (filters.from || filters.to) where.at = dayRange(filters);
  if (filters.before) where.id = { lt: filters.before };
  return where;
}

/** Newest first, keyset-paginated by id: `olderBefore` is the `before` of the next page, if any. */
export async function listAuditEvents(filters: AuditFilters, pageSize = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const rows = await db.auditEvent.findMany({
    where: auditWhere(filters),
    select: auditEventSelect,
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  const page = rows.slice(0, pageSize).map((row) => ({ ...row, id: row.id.toString() }));
  const last = page.at(-1);
  return { events: page, olderBefore: rows.length > pageSize && last ? last.id : null };
}

/** The actions that occur in the log, for the filter's options. */
export async function listAuditActions(): Promise<string[]> {
  // groupBy is a SQL GROUP BY (the (action, at) index serves it); findMany's `distinct` would
  // fetch every row and dedupe in memory.
  const rows = await db.auditEvent.groupBy({ by: ["action"], orderBy: { action: "asc" } });
  return rows.map((row) => row.action);
}
