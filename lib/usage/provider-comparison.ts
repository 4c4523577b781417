import "server-only";
import { costPerThousand } from "@/lib/charts/latency-chart";
import { latencyPercentiles } from "@/lib/charts/percentiles";
import { groupHistogram } from "@/lib/usage/latency-aggregate";
import { loadLatencyGroups } from "@/lib/usage/latency-series";
import { latencyQuery, type LatencyParams } from "@/lib/usage/latency-params";
import { querySpendTotals } from "@/lib/usage/spend-series";
import { rangeOf } from "@/lib/usage/spend-params";

// One row per provider over the page's range: latency and TTFT percentiles, error rate, and cost
// per 1,000 requests. Latency from the pre-merged per-provider latency rollups, cost from the daily
// sums; cost per 1,000 counts priced requests only and the unpriced ones are shown beside it.

export type ProviderComparisonRow = {
  providerId: string;
  requests: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  ttftP50: number | null;
  ttftP95: number | null;
  cost: string;
  unpriced: number;
  costPerThousand: string | null;
};

export async function loadProviderComparison(params: LatencyParams): Promise<ProviderComparisonRow[]> {
  const [groups, spend] = await Promise.all([
    loadLatencyGroups({ ...latencyQuery(params, "all"), groupBy: "provider" }),
    querySpendTotals({ ...rangeOf(params), providerId: params.provider, modelId: params.model }, "provider"),
  ]);
  const spendOf = new Map(spend.map((row) => [row.seriesId, row]));
  return groups
    .map((group) => {
      const latency = latencyPercentiles(groupHistogram(group, "latency"));
      const ttft = latencyPercentiles(groupHistogram(group, "ttft"));
      const money = spendOf.get(group.seriesId);
      const cost = money?.cost ?? "0";
      const unpriced = money?.unpriced ?? 0;
      return {
        providerId: group.seriesId,
        requests: group.requests,
        errors: group.errors,
        p50: latency.p50,
        p95: latency.p95,
        p99: latency.p99,
        ttftP50: ttft.p50,
        ttftP95: ttft.p95,
        cost,
        unpriced,
        costPerThousand: costPerThousand(cost, (money?.requests ?? 0) - unpriced),
      };
    })
    .sort((a, b) => b.requests - a.requests);
}
