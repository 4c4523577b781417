import { z } from "zod";

// What a route version stores (route_versions.groups and the columns beside it). The console's
// forms and the gateway both read routes through these schemas.

export const ROUTE_STRATEGIES = ["FALLBACK", "LOAD_BALANCE", "FALLBACK_GROUPS"] as const;
export type RouteStrategyName = (typeof ROUTE_STRATEGIES)[number];

export const ROUTE_STRATEGY_LABEL: Record<RouteStrategyName, string> = {
  FALLBACK: "Fallback (in order)",
  LOAD_BALANCE: "Load balance (by weight)",
  FALLBACK_GROUPS: "Fallback of load-balanced groups",
};

/** Request parameters a target may pin, overriding what the caller sent. */
export const targetParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const routeTargetSchema = z
  .object({
    providerId: z.uuid(),
    /** models.id (not the provider's model id string). */
    modelId: z.uuid(),
    weight: z.number().int().min(1).max(1000).default(1),
    params: targetParamsSchema.default({}),
    /** This target's own timeout per attempt; the route's deadline still bounds the request. */
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();

export const routeGroupSchema = z
  .object({ targets: z.array(routeTargetSchema).min(1, "a group needs at least one target").max(20) })
  .strict();

export const routeGroupsSchema = z.array(routeGroupSchema).min(1, "a route needs at least one target").max(10);

export type RouteTarget = z.infer<typeof routeTargetSchema>;
export type RouteGroup = z.infer<typeof routeGroupSchema>;

export const routeSettingsSchema = z.object({
  strategy: z.enum(ROUTE_STRATEGIES),
  groups: routeGroupsSchema,
  retries: z.number().int().min(0).max(5).default(1),
  deadlineMs: z.number().int().min(1000).max(600_000).default(60_000),
  cooldownFailures: z.number().int().min(1).max(100).default(3),
  cooldownSeconds: z.number().int().min(1).max(3600).default(30),
  cacheEnabled: z.boolean().default(false),
  cacheTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(300),
});

export type RouteSettings = z.infer<typeof routeSettingsSchema>;

/** FALLBACK and LOAD_BALANCE use one group; FALLBACK_GROUPS any number. */
export function strategyProblem(settings: Pick<RouteSettings, "strategy" | "groups">): string | null {
  if (settings.strategy !== "FALLBACK_GROUPS" && settings.groups.length !== 1)
    return "Fallback and load-balance routes have exactly one group of targets.";
  const seen = new Set<string>();
  for (const group of settings.groups)
    for (const target of group.targets) {
      const key = `${target.providerId}:${target.modelId}`;
      if (seen.has(key)) return "A target may appear only once in a route.";
      seen.add(key);
    }
  return null;
}

/** Route names are called like model names: no spaces, no leading slash. */
export const routeNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, "Use letters, digits and . _ : / - (no spaces)");
