import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { ProviderSummary } from "@/components/overview/provider-summary";
import { ExpiringKeysCard } from "@/components/keys/expiring-keys-card";
import { FlaggedProvidersCard } from "@/components/health-checks/flagged-providers-card";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Your providers at a glance." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Suspense fallback={null}>
          <FlaggedProvidersCard className="lg:col-span-3" />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-28 lg:col-span-3" />}>
          <ProviderSummary />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-40 lg:col-span-3" />}>
          <ExpiringKeysCard />
        </Suspense>
      </div>
    </>
  );
}
