import "server-only";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { providerKind, type ProviderKindSpec } from "@/lib/providers/catalog";
import { ROUTE_STRATEGIES, routeGroupsSchema, type RouteStrategyName } from "@/lib/routes/schemas";

// What the gateway needs of the catalog on every request (providers, models, the price in force),
// held in memory and reloaded when anything changes: a cheap fingerprint query runs every
// GATEWAY_REFRESH_MS (default 500 ms), so an admin's edit (disable, archive, rename a slug, a new
// price) reaches every instance within about a second. Requests never wait on the database for it.

export type GatewayPrice = { inputPerMTok: string; outputPerMTok: string; cachedInputPerMTok: string | null };

export type GatewayModel = {
  id: string;
  modelId: string;
  type: string;
  maxOutputTokens: number | null;
  contextWindow: number | null;
  price: GatewayPrice | null;
  provider: GatewayProvider;
  /** "slug/model-id", the name applications use. */
  gatewayName: string;
};

export type GatewayProvider = {
  id: string;
  slug: string;
  name: string;
  kind: ProviderKindSpec;
  baseUrl: string;
};

export type GatewayRouteTarget = {
  model: GatewayModel;
  weight: number;
  params: { temperature?: number; top_p?: number; max_tokens?: number };
  timeoutMs: number | undefined;
};

export type GatewayRoute = {
  id: string;
  name: string;
  version: number;
  strategy: RouteStrategyName;
  /** Targets whose model is not callable (disabled, archived) are left out here. */
  groups: { targets: GatewayRouteTarget[] }[];
  retries: number;
  deadlineMs: number;
  cooldownFailures: number;
  cooldownSeconds: number;
  cacheEnabled: boolean;
  cacheTtlSeconds: number;
};

export type Catalog = {
  /** Routes by public name; a route name wins over a model of the same name. */
  routes: Map<string, GatewayRoute>;
  byGatewayName: Map<string, GatewayModel>;
  /** Bare model ids offered by exactly one enabled provider; ambiguous ids map to null. */
  byBareId: Map<string, GatewayModel | null>;
  models: GatewayModel[];
  /** Hard budgets from the budgets table: scope ('overall' | 'provider:<id>') → amount. */
  hardBudgets: Map<string, string>;
  loadedAt: number;
};

const FINGERPRINT_SQL = `SELECT concat_ws('|',
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM providers),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM models),
  (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM model_prices),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM budgets),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM routes),
  (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM route_versions)) AS f`;

const ROUTES_SQL = `
SELECT r.id, r.name, v.version, v.strategy::text AS strategy, v.groups, v.retries, v.deadline_ms, v.cooldown_failures,
  v.cooldown_seconds, v.cache_enabled, v.cache_ttl_seconds
FROM routes r
JOIN LATERAL (SELECT * FROM route_versions x WHERE x.route_id = r.id ORDER BY x.version DESC LIMIT 1) v ON true
WHERE r.enabled AND r.archived_at IS NULL`;

type RouteRow = {
  id: string;
  name: string;
  version: number;
  strategy: string;
  groups: unknown;
  retries: number;
  deadline_ms: number;
  cooldown_failures: number;
  cooldown_seconds: number;
  cache_enabled: boolean;
  cache_ttl_seconds: number;
};

function toRoute(row: RouteRow, byId: Map<string, GatewayModel>): GatewayRoute | null {
  const groups = routeGroupsSchema.safeParse(row.groups);
  if (!groups.success) {
    logger.warn("gateway: a route's stored targets do not parse; the route is not callable", { route: row.name });
    return null;
  }
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    strategy: (ROUTE_STRATEGIES as readonly string[]).includes(row.strategy)
      ? (row.strategy as RouteStrategyName)
      : "FALLBACK",
    groups: groups.data
      .map((group) => ({
        targets: group.targets.flatMap((target) => {
          const model = byId.get(target.modelId);
          return model && model.provider.id === target.providerId
            ? [{ model, weight: target.weight, params: target.params, timeoutMs: target.timeoutMs }]
            : [];
        }),
      }))
      .filter((group) => group.targets.length > 0),
    retries: row.retries,
    deadlineMs: row.deadline_ms,
    cooldownFailures: row.cooldown_failures,
    cooldownSeconds: row.cooldown_seconds,
    cacheEnabled: row.cache_enabled,
    cacheTtlSeconds: row.cache_ttl_seconds,
  };
}

// The price in force now; a price dated in the future takes over at the next reload after its time
// (the fingerprint includes the clock's minute for that reason).
const LOAD_SQL = `
SELECT p.id AS provider_id, p.slug, p.name, p.kind, p.base_url, m.id, m.model_id, m.type::text AS type,
  m.max_output_tokens, m.context_window,
  mp.input_per_mtok::text AS input_price, mp.output_per_mtok::text AS output_price,
  mp.cached_input_per_mtok::text AS cached_price
FROM models m JOIN providers p ON p.id = m.provider_id
LEFT JOIN LATERAL (
  SELECT * FROM model_prices x WHERE x.model_id = m.id AND x.effective_from <= now()
  ORDER BY x.effective_from DESC LIMIT 1
) mp ON true
WHERE p.enabled AND p.archived_at IS NULL AND m.enabled
ORDER BY p.slug, m.model_id`;

type LoadRow = {
  provider_id: string;
  slug: string;
  name: string;
  kind: string;
  base_url: string;
  id: string;
  model_id: string;
  type: string;
  max_output_tokens: number | null;
  context_window: number | null;
  input_price: string | null;
  output_price: string | null;
  cached_price: string | null;
};

async function load(): Promise<Catalog> {
  const [{ rows }, budgets, routeRows] = await Promise.all([
    pool.query<LoadRow>(LOAD_SQL),
    pool.query<{ scope: string; amount: string }>(
      `SELECT CASE WHEN scope = 'overall' THEN 'overall' ELSE 'provider:' || provider_id END AS scope,
              monthly_amount::text AS amount FROM budgets WHERE hard`,
    ),
    pool.query<RouteRow>(ROUTES_SQL),
  ]);
  const providers = new Map<string, GatewayProvider>();
  const models: GatewayModel[] = [];
  for (const row of rows) {
    let provider = providers.get(row.provider_id);
    if (!provider) {
      provider = {
        id: row.provider_id,
        slug: row.slug,
        name: row.name,
        kind: providerKind(row.kind),
        baseUrl: row.base_url,
      };
      providers.set(row.provider_id, provider);
    }
    models.push({
      id: row.id,
      modelId: row.model_id,
      type: row.type,
      maxOutputTokens: row.max_output_tokens,
      contextWindow: row.context_window,
      price:
        row.input_price !== null && row.output_price !== null
          ? { inputPerMTok: row.input_price, outputPerMTok: row.output_price, cachedInputPerMTok: row.cached_price }
          : null,
      provider,
      gatewayName: `${row.slug}/${row.model_id}`,
    });
  }
  const byGatewayName = new Map(models.map((model) => [model.gatewayName, model]));
  const byBareId = new Map<string, GatewayModel | null>();
  for (const model of models) byBareId.set(model.modelId, byBareId.has(model.modelId) ? null : model);
  const byId = new Map(models.map((model) => [model.id, model]));
  const routes = new Map<string, GatewayRoute>();
  for (const row of routeRows.rows) {
    const route = toRoute(row, byId);
    if (route) routes.set(route.name, route);
  }
  return {
    routes,
    byGatewayName,
    byBareId,
    models,
    hardBudgets: new Map(budgets.rows.map((row) => [row.scope, row.amount])),
    loadedAt: Date.now(),
  };
}

let current: Catalog | undefined;
let fingerprint = "";
let loading: Promise<Catalog> | undefined;
let timer: NodeJS.Timeout | undefined;

async function refresh(): Promise<void> {
  const { rows } = await pool.query<{ f: string }>(FINGERPRINT_SQL);
  const next = `${rows[0]?.f ?? ""}|${Math.floor(Date.now() / 60_000)}`;
  if (next === fingerprint && current) return;
  const loaded = await load();
  current = loaded;
  fingerprint = next;
}

/** The catalog; the first call loads it, later ones return the cached copy. */
export async function gatewayCatalog(): Promise<Catalog> {
  if (current) return current;
  loading ??= refresh().then(() => current!);
  try {
    return await loading;
  } finally {
    loading = undefined;
  }
}

export function startCatalogRefresh(intervalMs = Number(process.env.GATEWAY_REFRESH_MS ?? 500)): void {
  if (timer) return;
  const tick = () =>
    void refresh()
      .catch((error: unknown) => logger.warn("gateway catalog refresh failed", { error }))
      .finally(() => {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  timer = setTimeout(tick, intervalMs);
  timer.unref();
}

export function stopCatalogRefresh(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
}

// A name not in the cached catalog may have been added a moment ago: before answering 404, wait for
// a look at the database that started after the request arrived (one that was already running may
// have read before the caller's change committed). Misses share looks, which start at most every
// 50 ms, so a flood of wrong names costs at most twenty fingerprint queries a second.
const FORCED_GAP_MS = 50;
let lastForced = 0;
let forcing: { started: number; done: Promise<void> } | null = null;
export async function freshCatalogForMiss(): Promise<Catalog | null> {
  const arrived = Date.now();
  for (;;) {
    if (forcing) {
      const look = forcing;
      await look.done.catch(() => undefined);
      if (look.started >= arrived) return current ?? null;
      continue;
    }
    const wait = lastForced + FORCED_GAP_MS - Date.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    lastForced = Date.now();
    const look = {
      started: lastForced,
      done: refresh().finally(() => {
        if (forcing === look) forcing = null;
      }),
    };
    forcing = look;
  }
}

export type Resolution =
  | { ok: true; model: GatewayModel; route?: undefined }
  | { ok: true; route: GatewayRoute; model?: undefined }
  | { ok: false; reason: "unknown" | "ambiguous" };

/** A route's name, `slug/model-id`, or a bare model id that exactly one enabled provider offers. */
export function resolveModel(catalog: Catalog, name: string): Resolution {
  const route = catalog.routes.get(name);
  if (route) return { ok: true, route };
  const named = catalog.byGatewayName.get(name);
  if (named) return { ok: true, model: named };
  if (!catalog.byBareId.has(name)) return { ok: false, reason: "unknown" };
  const bare = catalog.byBareId.get(name);
  return bare ? { ok: true, model: bare } : { ok: false, reason: "ambiguous" };
}
