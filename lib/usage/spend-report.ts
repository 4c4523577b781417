import "server-only";
import { formatSpend } from "@/lib/charts/currency";
import { stackSeries, type StackedSeries } from "@/lib/charts/stack-series";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { querySpend } from "@/lib/usage/spend-series";
import { rangeOf, type SpendParams } from "@/lib/usage/spend-params";

// What the spend chart, its table and its CSV export show: one computation, three renderings.

export type SpendReport = StackedSeries & { params: SpendParams; cellLabels: Record<string, Record<string, string>> };

export async function buildSpendReport(params: SpendParams): Promise<SpendReport> {
  const [rows, labels] = await Promise.all([
    querySpend({
      ...rangeOf(params),
      period: params.period,
      groupBy: params.by,
      providerId: params.provider,
      modelId: params.model,
      keyId: params.key,
      tag: params.tag,
      teamId: params.team,
      gatewayKeyId: params.gatewayKey,
    }),
    loadCatalogLabels(),
  ]);
  const stacked = stackSeries(rows, (id) => labels.label(params.by, id));
  const cellLabels: SpendReport["cellLabels"] = {};
  for (const period of stacked.periods) {
    cellLabels[period] = {};
    for (const [id, cell] of Object.entries(stacked.cells[period] ?? {}))
      cellLabels[period][id] = formatSpend(cell.cost, cell.unpriced, cell.requests);
  }
  return { ...stacked, params, cellLabels };
}
