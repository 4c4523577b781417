import { requirePageActor } from "@/lib/auth/session";
import { Card } from "@/components/ui/card";
import { StackedBarChart } from "@/components/charts/stacked-bar-chart";
import { chartPoints } from "@/lib/charts/stack-series";
import { estimatedNote, formatSpend } from "@/lib/charts/currency";
import { savingsSentence } from "@/lib/usage/cache-savings";
import { buildSpendReport } from "@/lib/usage/spend-report";
import { spendSearch, type SpendParams } from "@/lib/usage/spend-params";
import type { Dimension } from "@/lib/usage/usage-filters";

const BY_LABEL: Record<Dimension, string> = {
  provider: "provider",
  model: "model",
  key: "provider key",
  tag: "tag",
  team: "team",
  gatewayKey: "gateway key",
};

export async function SpendReportCard({ params }: { params: SpendParams }) {
  await requirePageActor("spend:read");
  const report = await buildSpendReport(params);
  const csvHref = `/api/usage/spend?${spendSearch(params)}`;
  const rawHref = `/api/usage/records?${spendSearch(params)}`;
  const estimated = estimatedNote(report.total.estimated);
  const saved = savingsSentence(report.savings);
  return (
    <Card
      title={`Spend per ${params.period} by ${BY_LABEL[params.by]}, ${params.from} to ${params.to} (UTC)`}
      actions={
        <div className="flex gap-3 text-sm">
          <a className="text-indigo-700 hover:underline" href={csvHref} download>
            Download chart CSV
          </a>
          <a className="text-indigo-700 hover:underline" href={rawHref} download>
            Download raw records CSV
          </a>
        </div>
      }
    >
      <p className="mb-4 text-sm text-slate-700">
        Total:{" "}
        <strong data-testid="spend-total">
          {formatSpend(report.total.cost, report.total.unpriced, report.total.requests)}
        </strong>{" "}
        over {report.total.requests.toLocaleString("en-US")} requests.
        {report.total.unpriced > 0
          ? " Unpriced requests have no price for their model at the time they ran; add one and recompute."
          : null}
      </p>
      {saved ? (
        <p className="-mt-2 mb-4 text-sm text-emerald-800" data-testid="spend-cache-savings">
          {saved}.
        </p>
      ) : null}
      {estimated ? (
        <p className="-mt-2 mb-4 text-sm text-amber-800" data-testid="spend-estimated">
          {estimated}: the provider reported no token counts, so their cost is an estimate.
        </p>
      ) : null}
      {report.periods.length === 0 ? (
        <p className="text-sm text-slate-600">No usage in this range.</p>
      ) : (
        <>
          <StackedBarChart
            points={chartPoints(report)}
            series={report.series}
            labels={report.cellLabels}
            ariaLabel="Spend chart; the same numbers are in the table below."
          />
          <div className="mt-6 overflow-x-auto">
            <table className="w-full text-right text-sm" data-testid="spend-table">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 text-left">Period</th>
                  {report.series.map((series) => (
                    <th key={series.id} className="px-2">
                      {series.label}
                    </th>
                  ))}
                  <th className="px-2">Total</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.periods.map((period) => (
                  <tr key={period}>
                    <td className="py-1.5 text-left font-mono text-xs">{period}</td>
                    {report.series.map((series) => (
                      <td key={series.id} className="px-2 tabular-nums">
                        {report.cellLabels[period]?.[series.id] ?? "—"}
                      </td>
                    ))}
                    <td className="px-2 font-medium tabular-nums">
                      {formatSpend(
                        report.periodTotals[period]!.cost,
                        report.periodTotals[period]!.unpriced,
                        report.periodTotals[period]!.requests,
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot className="border-t border-slate-300 font-semibold">
                <tr>
                  <td className="py-2 text-left">Total</td>
                  {report.series.map((series) => (
                    <td key={series.id} className="px-2 tabular-nums">
                      {formatSpend(series.total, series.unpriced, series.requests)}
                    </td>
                  ))}
                  <td className="px-2 tabular-nums">
                    {formatSpend(report.total.cost, report.total.unpriced, report.total.requests)}
                  </td>
                </tr>
                {estimated ? (
                  <tr className="text-xs font-normal text-amber-800">
                    <td className="py-1 text-left">Estimated by tokenizer</td>
                    {report.series.map((series) => (
                      <td key={series.id} className="px-2 tabular-nums">
                        {series.estimated ? series.estimated.toLocaleString("en-US") : "—"}
                      </td>
                    ))}
                    <td className="px-2 tabular-nums">{report.total.estimated.toLocaleString("en-US")}</td>
                  </tr>
                ) : null}
              </tfoot>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
