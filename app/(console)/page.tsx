import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { ProviderSummary } from "@/components/overview/provider-summary";
import { GatewayErrorRateWidget, GatewayRpmWidget, TopTeamsWidget } from "@/components/overview/gateway-widgets";
import { ExpiringKeysCard } from "@/components/keys/expiring-keys-card";
import { OutOfRotationCard } from "@/components/keys/out-of-rotation-card";
import { FlaggedProvidersCard } from "@/components/health-checks/flagged-providers-card";
import { BudgetBanner } from "@/components/usage/budget-banner";
import {
  BudgetBurnWidget,
  ErrorRateWidget,
  LatencyP95Widget,
  MonthToDateSpendWidget,
  TopModelsWidget,
} from "@/components/usage/overview-widgets";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requirePageActor("providers:read");
  return (
    <>
      <PageHeader title="Overview" description="Spend, latency and the state of your providers at a glance." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Suspense fallback={null}>
          <div className="lg:col-span-3 empty:hidden">
            <BudgetBanner />
          </div>
        </Suspense>
        <Suspense fallback={null}>
          <FlaggedProvidersCard className="lg:col-span-3" />
        </Suspense>
        <Suspense fallback={null}>
          <OutOfRotationCard className="lg:col-span-3" />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-32" />}>
          <MonthToDateSpendWidget />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-32" />}>
          <LatencyP95Widget />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-32" />}>
          <ErrorRateWidget />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-48 lg:col-span-2" />}>
          <div className="lg:col-span-2">
            <TopModelsWidget />
          </div>
        </Suspense>
        <Suspense fallback={<Skeleton className="h-48" />}>
          <BudgetBurnWidget />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-32" />}>
          <GatewayRpmWidget />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-32" />}>
          <GatewayErrorRateWidget />
        </Suspense>
        <Suspense fallback={<Skeleton className="h-48" />}>
          <TopTeamsWidget />
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
