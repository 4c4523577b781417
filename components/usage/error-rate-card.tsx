import { requirePageActor } from "@/lib/auth/session";
import { Card } from "@/components/ui/card";
import { StackedBarChart } from "@/components/charts/stacked-bar-chart";
import { errorRateByClass, percent } from "@/lib/charts/latency-chart";
import { loadLatencyReport } from "@/lib/usage/latency-report";
import type { LatencyParams } from "@/lib/usage/latency-params";

export async function ErrorRateCard({ params }: { params: LatencyParams }) {
  await requirePageActor("usage:read");
  const report = await loadLatencyReport(params);
  const { classes, rows, requests } = errorRateByClass(report.groups, report.step);
  const errors = classes.reduce((sum, entry) => sum + entry.count, 0);
  const labels: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    labels[String(row.period)] = Object.fromEntries(
      classes.map((entry) => [entry.id, `${Number(row[entry.id] ?? 0).toFixed(2)} %`]),
    );
  }
  return (
    <Card title={`Error rate by class per ${report.step} (UTC)`}>
      <p className="mb-4 text-sm text-slate-700">
        <strong data-testid="error-rate">{percent(errors, requests)}</strong> of {requests.toLocaleString("en-US")}{" "}
        requests failed
        {errors ? ` (${errors.toLocaleString("en-US")})` : ""}.
      </p>
      {errors === 0 ? (
        <p className="text-sm text-slate-600">No errors in this range.</p>
      ) : (
        <>
          <StackedBarChart
            points={rows}
            series={classes}
            labels={labels}
            unit="percent"
            ariaLabel="Error rate by class; the totals are in the table below."
          />
          <table className="mt-4 w-full text-right text-sm" data-testid="error-class-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 text-left">Error class</th>
                <th className="px-2">Errors</th>
                <th className="px-2">Share of requests</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {classes.map((entry) => (
                <tr key={entry.id}>
                  <td className="py-1.5 text-left font-mono text-xs">{entry.label}</td>
                  <td className="px-2">{entry.count.toLocaleString("en-US")}</td>
                  <td className="px-2">{percent(entry.count, requests)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}
