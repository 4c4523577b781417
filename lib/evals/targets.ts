import "server-only";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { loadCallModel, loadCallProvider, type CallModel, type CallProvider } from "@/lib/calls/call-target";
import { planTargets } from "@/lib/routes/plan";
import { routeGroupsSchema } from "@/lib/routes/schemas";
import { parseTarget } from "@/lib/evals/schemas";

// What a run compares: provider models and gateway routes. A route is evaluated as the gateway
// would pick its target for one request (its newest version's strategy: the first of a fallback
// list, a weighted draw for load balancing), without the gateway's retries and fallbacks, so each
// case x target is exactly one call.

export type RunTargetSpec = {
  providerId: string | null;
  modelId: string | null;
  routeId: string | null;
  label: string;
};

const invalid = (message: string) =>
  new DomainError("INVALID", "Check the highlighted fields.", { targets: [message] });

/** Checks each posted target exists (and is usable) and names it for the run's history. */
export async function resolveRunTargets(texts: readonly string[]): Promise<RunTargetSpec[]> {
  const out: RunTargetSpec[] = [];
  for (const text of texts) {
    const target = parseTarget(text);
    if ("routeId" in target) {
      const route = await db.route.findFirst({
        where: { id: target.routeId, archivedAt: null },
        select: { id: true, name: true },
      });
      if (!route) throw invalid("A chosen route no longer exists.");
      out.push({ providerId: null, modelId: null, routeId: route.id, label: `route ${route.name}` });
      continue;
    }
    const model = await db.model.findFirst({
      where: { id: target.modelId, providerId: target.providerId, type: { not: "EMBEDDING" } },
      select: { id: true, modelId: true, provider: { select: { id: true, name: true, archivedAt: true } } },
    });
    if (!model || model.provider.archivedAt) throw invalid("A chosen model no longer exists.");
    out.push({
      providerId: model.provider.id,
      modelId: model.id,
      routeId: null,
      label: `${model.provider.name} / ${model.modelId}`,
    });
  }
  return out;
}

export type CallTarget = { provider: CallProvider; model: CallModel };

/** The provider and model one call of this target goes to (a route's pick for this call). */
export async function callTargetOf(target: {
  providerId: string | null;
  modelId: string | null;
  routeId: string | null;
}): Promise<CallTarget> {
  if (target.routeId) {
    const route = await db.route.findFirst({
      where: { id: target.routeId, archivedAt: null, enabled: true },
      select: { versions: { orderBy: { version: "desc" }, take: 1, select: { strategy: true, groups: true } } },
    });
    const version = route?.versions[0];
    if (!version) throw new DomainError("UNAVAILABLE", "The route is archived, disabled or has no version.");
    const groups = routeGroupsSchema.safeParse(version.groups).data ?? [];
    const first = planTargets(version.strategy, groups)[0];
    if (!first) throw new DomainError("UNAVAILABLE", "The route has no targets.");
    return callTargetOf({ providerId: first.providerId, modelId: first.modelId, routeId: null });
  }
  const provider = await loadCallProvider(target.providerId!);
  const model = await loadCallModel(provider.id, target.modelId!);
  return { provider, model };
}

/** The price in force now for each model id (null: unpriced). */
export async function pricesNow(
  modelIds: readonly string[],
): Promise<Map<string, { input: string; output: string } | null>> {
  const now = new Date();
  const rows = await db.modelPrice.findMany({
    where: { modelId: { in: [...modelIds] }, effectiveFrom: { lte: now } },
    orderBy: { effectiveFrom: "desc" },
    select: { modelId: true, inputPerMTok: true, outputPerMTok: true },
  });
  const out = new Map<string, { input: string; output: string } | null>(modelIds.map((id) => [id, null]));
  for (const row of rows)
    if (!out.get(row.modelId))
      out.set(row.modelId, { input: row.inputPerMTok.toFixed(), output: row.outputPerMTok.toFixed() });
  return out;
}

/** Model ids a target may call: the model, or every target of the route's newest version. */
export async function modelIdsOf(target: RunTargetSpec): Promise<string[]> {
  if (!target.routeId) return [target.modelId!];
  const version = await db.routeVersion.findFirst({
    where: { routeId: target.routeId },
    orderBy: { version: "desc" },
    select: { groups: true },
  });
  const groups = routeGroupsSchema.safeParse(version?.groups).data ?? [];
  return [...new Set(groups.flatMap((group) => group.targets.map((t) => t.modelId)))];
}
