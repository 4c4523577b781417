import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Card } from "@/components/ui/card";
import { Stat } from "@/components/usage/overview-widgets";
import { loadWidgetData, WidgetError } from "@/components/overview/widget-state";
import { percent } from "@/lib/charts/latency-chart";
import { formatPerMinute } from "@/lib/charts/minute-series";
import { estimatedNote, formatSpend } from "@/lib/charts/currency";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { gatewayTraffic, topTeamsThisMonth } from "@/lib/usage/overview";

// The gateway's overview widgets, each an async server component for its own <Suspense>. The two
// traffic widgets share one read of the last hour (gatewayTraffic is cached per request).

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

export async function GatewayRpmWidget() {
  await requirePageActor("usage:read");
  const title = "Gateway requests per minute, last hour";
  const data = await loadWidgetData("gateway-rpm", () => gatewayTraffic());
  if (!data.ok) return <WidgetError title={title} testId="overview-gateway-rpm-error" />;
  const traffic = data.value;
  return (
    <Stat
      title={title}
      href="/usage?source=gateway"
      testId="overview-gateway-rpm"
      value={formatPerMinute(traffic.perMinute)}
      detail={
        traffic.requests
          ? `${traffic.requests.toLocaleString("en-US")} requests ${hhmm(traffic.from)}–${hhmm(traffic.to)} UTC; ` +
            `peak ${traffic.peakPerMinute.toLocaleString("en-US")}/min, last minute ${traffic.lastMinute.toLocaleString("en-US")}.`
          : "No gateway requests in the last hour."
      }
    />
  );
}

export async function GatewayErrorRateWidget() {
  await requirePageActor("usage:read");
  const title = "Gateway error rate, last hour";
  const data = await loadWidgetData("gateway-error-rate", () => gatewayTraffic());
  if (!data.ok) return <WidgetError title={title} testId="overview-gateway-error-rate-error" />;
  const { requests, errors, cancelled } = data.value;
  return (
    <Stat
      title={title}
      href="/usage?source=gateway&status=error"
      testId="overview-gateway-error-rate"
      value={percent(errors, requests)}
      detail={
        requests
          ? `${errors.toLocaleString("en-US")} of ${requests.toLocaleString("en-US")} gateway requests failed` +
            (cancelled ? `; ${cancelled.toLocaleString("en-US")} cancelled by the caller.` : ".")
          : "No gateway requests in the last hour."
      }
    />
  );
}

export async function TopTeamsWidget() {
  await requirePageActor("spend:read");
  const title = "Top teams by spend this month";
  const data = await loadWidgetData("top-teams", () => Promise.all([topTeamsThisMonth(), loadCatalogLabels()]));
  if (!data.ok) return <WidgetError title={title} testId="overview-top-teams-error" />;
  const [teams, labels] = data.value;
  return (
    <Card
      title={title}
      actions={
        <Link href="/spend?by=team" className="text-xs text-indigo-700 hover:underline">
          Spend
        </Link>
      }
    >
      {teams.length === 0 ? (
        <p className="text-sm text-slate-600">No gateway spend by any team this month.</p>
      ) : (
        <ol className="space-y-2 text-sm" data-testid="overview-top-teams">
          {teams.map((team) => {
            const estimated = estimatedNote(team.estimated);
            return (
              <li key={team.seriesId} className="flex justify-between gap-4">
                <span className="truncate text-slate-800">{labels.label("team", team.seriesId)}</span>
                <span className="whitespace-nowrap text-right tabular-nums text-slate-700">
                  {formatSpend(team.cost, team.unpriced, team.requests)}
                  {estimated ? <span className="block text-xs text-amber-800">{estimated}</span> : null}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
