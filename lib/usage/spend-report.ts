import "server-only";
import { formatSpend } from "@/lib/charts/currency";
import { stackSeries, type StackedSeries } from "@/lib/charts/stack-series";
import type { CacheSavings } from "@/lib/usage/cache-savings";
import { queryCacheSavings } from "@/lib/usage/cache-savings-query";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { querySpend } from "@/lib/usage/spend-series";
import { rangeOf, type SpendParams } from "@/lib/usage/spend-params";

// What the spend chart, its table and its CSV export show: one computation, three renderings.

export type SpendReport = StackedSeries & {
  params: SpendParams;
  cellLabels: Record<string, Record<string, string>>;
  /** What route caches saved over the same range and filters. */
  savings: CacheSavings;
};

export async function buildSpendReport(params: SpendParams): Promise<SpendReport> {
  const filters = {
    ...rangeOf(params),
    providerId: params.provider,
    modelId: params.model,
    keyId: params.key,
    tag: params.tag,
    teamId: params.team,
    gatewayKeyId: params.gatewayKey,
  };
  const [rows, labels, savings] = await Promise.all([
    querySpend({ ...filters, period: params.period, groupBy: params.by }),
    loadCatalogLabels(),
    queryCacheSavings(filters),
  ]);
  const stacked = stackSeries(rows, (id) => labels.label(params.by, id));
  const cellLabels: SpendReport["cellLabels"] = {};
  for (const period of stacked.periods) {
    cellLabels[period] = {};
    for (const [id, cell] of Object.entries(stacked.cells[period] ?? {}))
      cellLabels[period][id] = formatSpend(cell.cost, cell.unpriced, cell.requests);
  }
  return { ...stacked, params, cellLabels, savings };
}
