import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Card } from "@/components/ui/card";
import { LineSeriesChart } from "@/components/charts/line-chart";
import { percentileLines } from "@/lib/charts/latency-chart";
import { formatMs } from "@/lib/charts/percentiles";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { mergeAcrossPeriods, percentilePoints } from "@/lib/usage/latency-aggregate";
import { loadLatencyReport } from "@/lib/usage/latency-report";
import { latencySearch, type LatencyParams } from "@/lib/usage/latency-params";

const TITLES = { latency: "Total latency", ttft: "Time to first token" } as const;
const PCTS = ["p50", "p95", "p99"] as const;

export async function LatencyPercentileCard({ params, metric }: { params: LatencyParams; metric: "latency" | "ttft" }) {
  await requirePageActor("usage:read");
  const [report, labels] = await Promise.all([loadLatencyReport(params), loadCatalogLabels()]);
  const labelOf = (id: string) => labels.label(params.by, id);
  const { series, rows } = percentileLines(
    metric === "latency" ? report.latency : report.ttft,
    params.pct,
    report.step,
    labelOf,
  );
  const totals = percentilePoints(mergeAcrossPeriods(report.groups), metric).sort((a, b) => b.count - a.count);
  const switcher = (
    <nav aria-label={`${TITLES[metric]} percentile`} className="flex gap-1 text-xs">
      {PCTS.map((pct) => (
        <Link
          key={pct}
          href={`/latency?${latencySearch(params, { pct })}`}
          aria-current={pct === params.pct ? "true" : undefined}
          className={`rounded px-2 py-1 ${pct === params.pct ? "bg-indigo-600 text-white" : "text-indigo-700 hover:bg-indigo-50"}`}
        >
          {pct}
        </Link>
      ))}
    </nav>
  );
  return (
    <Card title={`${TITLES[metric]}, ${params.pct} per ${report.step} by ${params.by} (UTC)`} actions={switcher}>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">
          {metric === "ttft"
            ? "No streamed requests with a time to first token in this range."
            : "No requests in this range."}
        </p>
      ) : (
        <>
          <LineSeriesChart
            rows={rows}
            series={series}
            ariaLabel={`${TITLES[metric]} ${params.pct} per ${report.step}; the range's percentiles are in the table below.`}
          />
          <table className="mt-4 w-full text-right text-sm" data-testid={`${metric}-table`}>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 text-left">{params.by === "provider" ? "Provider" : "Model"}</th>
                <th className="px-2">Requests</th>
                <th className="px-2">p50</th>
                <th className="px-2">p95</th>
                <th className="px-2">p99</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {totals.map((point) => (
                <tr key={point.seriesId}>
                  <td className="py-1.5 text-left">{labelOf(point.seriesId)}</td>
                  <td className="px-2">{point.count.toLocaleString("en-US")}</td>
                  <td className="px-2">{formatMs(point.p50)}</td>
                  <td className="px-2">{formatMs(point.p95)}</td>
                  <td className="px-2">{formatMs(point.p99)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}
