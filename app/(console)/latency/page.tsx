import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { ErrorRateCard } from "@/components/usage/error-rate-card";
import { LatencyFilterForm } from "@/components/usage/latency-filter-form";
import { LatencyPercentileCard } from "@/components/usage/latency-percentile-card";
import { ProviderComparisonCard } from "@/components/usage/provider-comparison-card";
import { requirePageActor } from "@/lib/auth/session";
import { latencySearch, parseLatencyParams } from "@/lib/usage/latency-params";

export const metadata: Metadata = { title: "Latency" };

export default async function LatencyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageActor("usage:read");
  const params = parseLatencyParams(await searchParams);
  const key = latencySearch(params);
  return (
    <>
      <PageHeader
        title="Latency"
        description="Percentiles from histograms in the rollups, within 2 % of the exact value over the raw records. Times are UTC."
      />
      <Suspense fallback={<Skeleton className="h-20" />}>
        <LatencyFilterForm params={params} />
      </Suspense>
      <div className="grid gap-6">
        <Suspense key={`latency-${key}`} fallback={<Skeleton className="h-96" />}>
          <LatencyPercentileCard params={params} metric="latency" />
        </Suspense>
        <Suspense key={`ttft-${key}`} fallback={<Skeleton className="h-96" />}>
          <LatencyPercentileCard params={params} metric="ttft" />
        </Suspense>
        <Suspense key={`errors-${key}`} fallback={<Skeleton className="h-80" />}>
          <ErrorRateCard params={params} />
        </Suspense>
        <Suspense key={`compare-${key}`} fallback={<Skeleton className="h-64" />}>
          <ProviderComparisonCard params={params} />
        </Suspense>
      </div>
    </>
  );
}
