import { requirePageActor } from "@/lib/auth/session";
import { Card } from "@/components/ui/card";
import { percent } from "@/lib/charts/latency-chart";
import { formatMs } from "@/lib/charts/percentiles";
import { formatSpend, formatUsd } from "@/lib/charts/currency";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import type { LatencyParams } from "@/lib/usage/latency-params";
import { loadProviderComparison } from "@/lib/usage/provider-comparison";

export async function ProviderComparisonCard({ params }: { params: LatencyParams }) {
  await requirePageActor("usage:read");
  const [rows, labels] = await Promise.all([loadProviderComparison(params), loadCatalogLabels()]);
  return (
    <Card title={`Providers compared, ${params.from} to ${params.to} (UTC)`}>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No requests in this range.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-right text-sm" data-testid="provider-comparison">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 text-left">Provider</th>
                <th className="px-2">Requests</th>
                <th className="px-2">p50</th>
                <th className="px-2">p95</th>
                <th className="px-2">p99</th>
                <th className="px-2">TTFT p50</th>
                <th className="px-2">Error rate</th>
                <th className="px-2">Cost</th>
                <th className="px-2">Cost per 1k requests</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {rows.map((row) => (
                <tr key={row.providerId}>
                  <td className="py-1.5 text-left">{labels.label("provider", row.providerId)}</td>
                  <td className="px-2">{row.requests.toLocaleString("en-US")}</td>
                  <td className="px-2">{formatMs(row.p50)}</td>
                  <td className="px-2">{formatMs(row.p95)}</td>
                  <td className="px-2">{formatMs(row.p99)}</td>
                  <td className="px-2">{formatMs(row.ttftP50)}</td>
                  <td className="px-2">{percent(row.errors, row.requests)}</td>
                  <td className="px-2">{formatSpend(row.cost, row.unpriced, row.requests)}</td>
                  <td className="px-2">
                    {row.costPerThousand === null ? "unpriced" : formatUsd(row.costPerThousand)}
                    {row.costPerThousand !== null && row.unpriced ? (
                      <span className="block text-xs text-amber-700">priced requests only</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
