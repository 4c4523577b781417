import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { describeGroups } from "@/lib/routes/diff";
import { listRoutes, loadTargetLabeler } from "@/lib/routes/queries";
import { ROUTE_STRATEGY_LABEL } from "@/lib/routes/schemas";

/** Every route with its newest version: name, strategy, targets, state and cache. */
export async function RouteTable() {
  await requirePageActor("gateway:read");
  const [routes, label] = await Promise.all([listRoutes(), loadTargetLabeler()]);
  if (routes.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No routes yet. A route is a model name applications call, mapped to targets.
      </p>
    );
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="route-table">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Name</th>
            <th className="pr-3">Strategy</th>
            <th className="pr-3">Targets</th>
            <th className="pr-3">State</th>
            <th className="pr-3">Cache</th>
            <th className="text-right">Version</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {routes.map((route) => (
            <tr key={route.id} className="align-top" data-route-name={route.name}>
              <td className="py-2 pr-3">
                <Link
                  href={`/gateway/routes/${route.id}`}
                  className="font-mono font-medium text-indigo-700 hover:underline"
                >
                  {route.name}
                </Link>
                {route.description ? <span className="block text-xs text-slate-500">{route.description}</span> : null}
              </td>
              <td className="pr-3 text-slate-700">
                {route.current ? ROUTE_STRATEGY_LABEL[route.current.settings.strategy] : "—"}
              </td>
              <td className="max-w-md pr-3 text-slate-700">
                {route.current ? describeGroups(route.current.settings, label) : "—"}
              </td>
              <td className="pr-3">
                {route.archivedAt ? (
                  <Badge>archived</Badge>
                ) : route.enabled ? (
                  <Badge tone="green">enabled</Badge>
                ) : (
                  <Badge tone="amber">disabled</Badge>
                )}
              </td>
              <td className="pr-3 text-slate-700">
                {route.current?.settings.cacheEnabled ? `on (${route.current.settings.cacheTtlSeconds} s)` : "off"}
              </td>
              <td className="text-right tabular-nums">{route.current?.version ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
