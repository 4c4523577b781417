import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { readAllInRedis } from "@/lib/gateway/cooldown-redis";
import { sharedRedis } from "@/lib/gateway/redis-limits";
import { diffRouteSettings, type RouteChange, type TargetLabel } from "@/lib/routes/diff";
import { routeGroupsSchema, routeSettingsSchema, type RouteSettings, type RouteTarget } from "@/lib/routes/schemas";

// Reads for the route pages and the route actions. A route's settings are its newest version;
// stored groups are read back through the same zod schema the forms write with.

export const routeSelect = {
  id: true,
  name: true,
  description: true,
  enabled: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.RouteSelect;

export const routeVersionSelect = {
  version: true,
  strategy: true,
  groups: true,
  retries: true,
  deadlineMs: true,
  cooldownFailures: true,
  cooldownSeconds: true,
  cacheEnabled: true,
  cacheTtlSeconds: true,
  authorId: true,
  comment: true,
  rolledBackFrom: true,
  createdAt: true,
} satisfies Prisma.RouteVersionSelect;

type RouteRecord = Prisma.RouteGetPayload<{ select: typeof routeSelect }>;
type RouteVersionRecord = Prisma.RouteVersionGetPayload<{ select: typeof routeVersionSelect }>;

export type RouteVersionRow = {
  version: number;
  settings: RouteSettings;
  authorId: string | null;
  comment: string;
  rolledBackFrom: number | null;
  createdAt: Date;
};
export type RouteWithVersion = RouteRecord & { current: RouteVersionRow | null };

type ReadClient = Pick<Prisma.TransactionClient, "routeVersion">;

const uuid = z.uuid();
const isUuid = (id: string) => uuid.safeParse(id).success;

export function toRouteVersionRow(record: RouteVersionRecord): RouteVersionRow {
  // A stored group list that no longer parses reads as no targets rather than breaking the page.
  const groups = routeGroupsSchema.safeParse(record.groups).data ?? [];
  const scalars = routeSettingsSchema.omit({ groups: true }).parse(record);
  return {
    version: record.version,
    settings: { ...scalars, groups },
    authorId: record.authorId,
    comment: record.comment,
    rolledBackFrom: record.rolledBackFrom,
    createdAt: record.createdAt,
  };
}

const newestVersion = { select: routeVersionSelect, orderBy: { version: "desc" }, take: 1 } as const;

function withCurrent(record: RouteRecord & { versions: RouteVersionRecord[] }): RouteWithVersion {
  const { versions, ...route } = record;
  return { ...route, current: versions[0] ? toRouteVersionRow(versions[0]) : null };
}

/** Live routes by name, then archived ones. */
export async function listRoutes(): Promise<RouteWithVersion[]> {
  const records = await db.route.findMany({
    select: { ...routeSelect, versions: newestVersion },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
  });
  return records.map(withCurrent);
}

export async function getRoute(id: string): Promise<RouteWithVersion | null> {
  if (!isUuid(id)) return null;
  const record = await db.route.findUnique({ where: { id }, select: { ...routeSelect, versions: newestVersion } });
  return record ? withCurrent(record) : null;
}

export async function latestRouteVersion(routeId: string, client: ReadClient = db): Promise<RouteVersionRow | null> {
  const record = await client.routeVersion.findFirst({
    where: { routeId },
    select: routeVersionSelect,
    orderBy: { version: "desc" },
  });
  return record ? toRouteVersionRow(record) : null;
}

export async function findRouteVersion(
  routeId: string,
  version: number,
  client: ReadClient = db,
): Promise<RouteVersionRow | null> {
  const record = await client.routeVersion.findFirst({ where: { routeId, version }, select: routeVersionSelect });
  return record ? toRouteVersionRow(record) : null;
}

export type RouteVersionWithChanges = RouteVersionRow & { authorEmail: string | null; changes: RouteChange[] };

/** Newest first, each with its changes against the version before it. */
export async function listRouteVersions(
  routeId: string,
  label: TargetLabel,
  limit = 50,
): Promise<{ versions: RouteVersionWithChanges[]; more: boolean }> {
  if (!isUuid(routeId)) return { versions: [], more: false };
  // One extra row: the oldest listed version still needs its predecessor for its diff.
  const records = await db.routeVersion.findMany({
    where: { routeId },
    select: routeVersionSelect,
    orderBy: { version: "desc" },
    take: limit + 1,
  });
  const rows = records.map(toRouteVersionRow);
  const authorIds = [...new Set(rows.flatMap((row) => (row.authorId ? [row.authorId] : [])))];
  const authors = new Map(
    (await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, email: true } })).map((user) => [
      user.id,
      user.email,
    ]),
  );
  const versions = rows.slice(0, limit).map((row, index) => ({
    ...row,
    authorEmail: row.authorId ? (authors.get(row.authorId) ?? null) : null,
    changes: diffRouteSettings(rows[index + 1]?.settings ?? null, row.settings, label),
  }));
  return { versions, more: rows.length > limit };
}

export type RouteTargetOption = {
  providerId: string;
  providerName: string;
  providerSlug: string;
  /** models.id */
  modelId: string;
  apiModelId: string;
  displayName: string;
};

type ModelClient = Pick<Prisma.TransactionClient, "model">;

/** What a route may point at: enabled models of enabled, non-archived providers. */
export async function routeTargetOptions(client: ModelClient = db): Promise<RouteTargetOption[]> {
  const rows = await client.model.findMany({
    where: { enabled: true, provider: { enabled: true, archivedAt: null } },
    select: { id: true, modelId: true, displayName: true, provider: { select: { id: true, name: true, slug: true } } },
    orderBy: [{ provider: { name: "asc" } }, { modelId: "asc" }],
  });
  return rows.map((row) => ({
    providerId: row.provider.id,
    providerName: row.provider.name,
    providerSlug: row.provider.slug,
    modelId: row.id,
    apiModelId: row.modelId,
    displayName: row.displayName,
  }));
}

/** Labels every model, callable or not ("Provider / model id"), for history and cooldowns. */
export async function loadTargetLabeler(): Promise<(target: Pick<RouteTarget, "modelId">) => string> {
  const rows = await db.model.findMany({
    select: { id: true, modelId: true, provider: { select: { name: true } } },
  });
  const names = new Map(rows.map((row) => [row.id, `${row.provider.name} / ${row.modelId}`]));
  return (target) => names.get(target.modelId) ?? "(removed model)";
}

/** Names of routes not archived: a gateway key's allow-list may name them. */
export async function liveRouteNames(client: Pick<Prisma.TransactionClient, "route"> = db): Promise<Set<string>> {
  const rows = await client.route.findMany({ where: { archivedAt: null }, select: { name: true } });
  return new Set(rows.map((row) => row.name));
}

export const targetKeyOf = (target: Pick<RouteTarget, "providerId" | "modelId">) =>
  `${target.providerId}:${target.modelId}`;

export type TargetCooldownRow = {
  targetKey: string;
  failures: number;
  openUntil: Date | null;
  probeUntil: Date | null;
  lastErrorClass: string | null;
  updatedAt: Date;
};

const atOrNull = (ms: number) => (ms > 0 ? new Date(ms) : null);

/**
 * The shared cooldown state of these targets, from the store the gateway uses (Redis when
 * REDIS_URL is set, else target_cooldowns); a target with no entry is healthy.
 */
export async function targetCooldowns(targets: readonly RouteTarget[]): Promise<Map<string, TargetCooldownRow>> {
  if (targets.length === 0) return new Map();
  const redis = sharedRedis();
  if (redis) {
    const stored = await readAllInRedis(redis, targets.map(targetKeyOf));
    return new Map(
      [...stored].map(([key, c]) => [
        key,
        {
          targetKey: key,
          failures: c.f,
          openUntil: atOrNull(c.o),
          probeUntil: atOrNull(c.p),
          lastErrorClass: c.e || null,
          updatedAt: new Date(c.u),
        },
      ]),
    );
  }
  const rows = await db.targetCooldown.findMany({
    where: { targetKey: { in: targets.map(targetKeyOf) } },
    select: {
      targetKey: true,
      failures: true,
      openUntil: true,
      probeUntil: true,
      lastErrorClass: true,
      updatedAt: true,
    },
  });
  return new Map(rows.map((row) => [row.targetKey, row]));
}
