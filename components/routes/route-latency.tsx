import { LineSeriesChart } from "@/components/charts/line-chart";
import { formatMs } from "@/lib/charts/percentiles";
import { requirePageActor } from "@/lib/auth/session";
import { recentRouteRollups } from "@/lib/routes/latency-query";
import { routeLatencySeries } from "@/lib/routes/latency-series";
import { loadTargetLabeler, targetKeyOf } from "@/lib/routes/queries";
import type { RouteSettings } from "@/lib/routes/schemas";

const HOURS = 24;

/** The route's targets side by side over the last 24 whole hours (UTC), from the hourly rollups. */
export async function RouteLatency({ routeId, settings }: { routeId: string; settings: RouteSettings }) {
  await requirePageActor("gateway:read");
  const [{ from, rows }, label] = await Promise.all([recentRouteRollups(routeId, HOURS), loadTargetLabeler()]);
  const targets = settings.groups
    .flatMap((group) => group.targets)
    .map((target) => ({ targetKey: targetKeyOf(target), label: label(target) }));
  const series = routeLatencySeries(rows, targets, { from, hours: HOURS }, (key) =>
    label({ modelId: key.split(":")[1] ?? "" }),
  );
  const any = series.table.some((row) => row.requests > 0);
  return (
    <div className="space-y-4">
      {any ? (
        <LineSeriesChart
          rows={series.chartRows}
          series={series.series}
          ariaLabel="Average latency per target and hour over the last 24 hours"
        />
      ) : (
        <p className="text-sm text-slate-600">No requests named this route in the last 24 hours.</p>
      )}
      <table className="w-full text-left text-sm" data-testid="route-latency">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Target</th>
            <th className="pr-3 text-right">Requests</th>
            <th className="pr-3 text-right">Errors</th>
            <th className="pr-3 text-right">Average latency</th>
            <th className="text-right">Average TTFT</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {series.table.map((row) => (
            <tr key={row.targetKey}>
              <td className="py-1.5 pr-3">
                {row.label}
                {row.current ? null : <span className="ml-1 text-xs text-slate-500">(no longer a target)</span>}
              </td>
              <td className="pr-3 text-right tabular-nums">{row.requests.toLocaleString("en-US")}</td>
              <td className="pr-3 text-right tabular-nums">{row.errors.toLocaleString("en-US")}</td>
              <td className="pr-3 text-right tabular-nums">
                {row.avgLatencyMs === null ? "—" : formatMs(row.avgLatencyMs)}
              </td>
              <td className="text-right tabular-nums">{row.avgTtftMs === null ? "—" : formatMs(row.avgTtftMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
