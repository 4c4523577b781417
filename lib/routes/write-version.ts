import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, DomainError, notFound, type FieldErrors } from "@/lib/errors/domain-error";
import type { Actor } from "@/lib/auth/session";
import { latestRouteVersion, routeSelect, type RouteVersionRow } from "@/lib/routes/queries";
import { strategyProblem, type RouteSettings } from "@/lib/routes/schemas";

type Tx = Prisma.TransactionClient;

const utcTime = (at: Date) => `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;

/**
 * Serialises writers of one route for the rest of the transaction (READ COMMITTED: every
 * statement after the lock sees what the previous holder committed, so "latest + 1" is free).
 */
export async function lockRoute(tx: Tx, routeId: string, options: { allowArchived?: boolean } = {}) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`route:${routeId}`}))`;
  const route = await tx.route.findUnique({ where: { id: routeId }, select: routeSelect });
  if (!route) throw notFound("Route");
  if (route.archivedAt && !options.allowArchived)
    throw conflict("This route is archived; its settings can no longer change.");
  return route;
}

/** Route names are checked and claimed under one lock, so two creates of one name queue. */
export async function lockRouteNames(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('routes:names'))`;
}

export async function assertNameFree(tx: Tx, name: string): Promise<void> {
  const taken = await tx.route.findUnique({ where: { name }, select: { archivedAt: true } });
  if (taken)
    throw new DomainError("INVALID", "Check the highlighted fields.", {
      name: [
        taken.archivedAt
          ? `An archived route is still called “${name}”. Choose another name.`
          : `A route called “${name}” already exists. Choose another name.`,
      ],
    });
}

/** Optimistic concurrency: a save must be based on the version in force, or it is refused. */
export async function assertBaseVersion(tx: Tx, routeId: string, baseVersion: number): Promise<RouteVersionRow | null> {
  const latest = await latestRouteVersion(routeId, tx);
  const current = latest?.version ?? 0;
  if (current === baseVersion) return latest;
  if (!latest || baseVersion > current)
    throw conflict("This route has changed since you opened it — reload the page and make your change again.");
  const author = latest.authorId
    ? await tx.user.findUnique({ where: { id: latest.authorId }, select: { email: true } })
    : null;
  throw conflict(
    `Changed by ${author?.email ?? "a removed user"} at ${utcTime(latest.createdAt)} (version ${latest.version}) — reload the page to see it, then make your change again.`,
  );
}

const targetPath = (group: number, target: number) => `settings.groups.${group}.targets.${target}`;

/**
 * Everything the database must confirm before a version is written: the strategy's shape, each
 * target's provider and model exist and may take traffic, and the route does not name itself
 * (its name is not the gateway name "<provider slug>/<model id>" of one of its own targets).
 */
export async function checkRouteSettings(tx: Tx, routeName: string, settings: RouteSettings): Promise<void> {
  const fieldErrors: FieldErrors = {};
  const add = (field: string, message: string) => (fieldErrors[field] ??= []).push(message);
  const problem = strategyProblem(settings);
  if (problem) add("settings.groups", problem);
  const targets = settings.groups.flatMap((group, g) => group.targets.map((target, t) => ({ target, g, t })));
  const models = await tx.model.findMany({
    where: { id: { in: targets.map(({ target }) => target.modelId) } },
    select: {
      id: true,
      providerId: true,
      modelId: true,
      enabled: true,
      provider: { select: { name: true, slug: true, enabled: true, archivedAt: true } },
    },
  });
  const byId = new Map(models.map((model) => [model.id, model]));
  const multiGroup = settings.groups.length > 1;
  for (const { target, g, t } of targets) {
    const model = byId.get(target.modelId);
    const where = multiGroup ? `Target ${t + 1} of group ${g + 1}` : `Target ${t + 1}`;
    if (!model || model.providerId !== target.providerId) {
      add(targetPath(g, t), `${where}: that provider's model no longer exists. Pick another.`);
      continue;
    }
    const named = `${where} (${model.provider.name} / ${model.modelId})`;
    if (model.provider.archivedAt) add(targetPath(g, t), `${named}: the provider is archived.`);
    else if (!model.provider.enabled) add(targetPath(g, t), `${named}: the provider is disabled.`);
    if (!model.enabled) add(targetPath(g, t), `${named}: the model is disabled.`);
    if (`${model.provider.slug}/${model.modelId}` === routeName) {
      add(targetPath(g, t), `${named}: a route cannot point at itself.`);
      add(
        "name",
        `“${routeName}” is the gateway name of one of this route's own targets; a route cannot point at itself.`,
      );
    }
  }
  if (Object.keys(fieldErrors).length > 0)
    throw new DomainError("INVALID", "Check the highlighted fields.", fieldErrors);
}

export async function insertRouteVersion(
  tx: Tx,
  routeId: string,
  actor: Actor,
  settings: RouteSettings,
  meta: { version: number; comment: string; rolledBackFrom: number | null },
): Promise<void> {
  await tx.routeVersion.create({
    data: {
      routeId,
      version: meta.version,
      strategy: settings.strategy,
      groups: settings.groups,
      retries: settings.retries,
      deadlineMs: settings.deadlineMs,
      cooldownFailures: settings.cooldownFailures,
      cooldownSeconds: settings.cooldownSeconds,
      cacheEnabled: settings.cacheEnabled,
      cacheTtlSeconds: settings.cacheTtlSeconds,
      authorId: actor.id,
      comment: meta.comment,
      rolledBackFrom: meta.rolledBackFrom,
    },
    select: { id: true },
  });
  // A new version changes the route: readers that cache routes by updated_at see it.
  await tx.route.update({ where: { id: routeId }, data: { updatedAt: new Date() }, select: { id: true } });
}
