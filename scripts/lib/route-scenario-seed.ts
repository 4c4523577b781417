// The route scenario's rows (scripts/lib/route-scenario.ts), seeded the way the bench seeds the rest:
// through the code the console's own actions use, minus what needs a session.
import type { Actor } from "../../lib/auth/session";

export type RouteSeed = {
  key: string;
  keyId: string;
  modelName: string;
  routeName: string;
  cachedRouteName: string;
};

/**
 * Two routes through the create-route action's handler (validation, version 1, audit; no session
 * or revalidation, which a script has not got) and a gateway key with no limits or budgets. The
 * fallback route's second target is never reached: its first always answers.
 */
export async function seedRoutes(options: {
  admin: Actor;
  providerId: string;
  slug: string;
  modelId: string;
  modelRowId: string;
  fallbackModelRowId: string;
}): Promise<RouteSeed> {
  // Imported here: the database client must not load before the bench has set DATABASE_URL.
  const { db } = await import("../../lib/db/client");
  const { createRouteSpec } = await import("../../lib/routes/action-specs");
  const { generateGatewayKey } = await import("../../lib/gateway-keys/key-material");
  const target = (modelRowId: string) => ({ providerId: options.providerId, modelId: modelRowId, weight: 1 });
  const create = (name: string, settings: Record<string, unknown>) =>
    createRouteSpec.handler(createRouteSpec.schema.parse({ name, comment: "bench", settings }), options.admin);
  await create("bench-route", {
    strategy: "FALLBACK",
    groups: [{ targets: [target(options.modelRowId), target(options.fallbackModelRowId)] }],
  });
  await create("bench-cached-route", {
    strategy: "FALLBACK",
    groups: [{ targets: [target(options.modelRowId)] }],
    cacheEnabled: true,
    cacheTtlSeconds: 3600,
  });
  const team = await db.team.create({ data: { name: "bench-route-team" }, select: { id: true } });
  const material = generateGatewayKey();
  const key = await db.gatewayKey.create({
    data: { teamId: team.id, name: "bench-route-key", keyHash: material.hash, last4: material.last4 },
    select: { id: true },
  });
  return {
    key: material.key,
    keyId: key.id,
    modelName: `${options.slug}/${options.modelId}`,
    routeName: "bench-route",
    cachedRouteName: "bench-cached-route",
  };
}
