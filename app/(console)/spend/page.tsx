import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { BudgetBanner } from "@/components/usage/budget-banner";
import { SpendReportCard } from "@/components/usage/spend-report-card";
import { UsageFilterForm } from "@/components/usage/usage-filter-form";
import { requirePageActor } from "@/lib/auth/session";
import { parseSpendParams, spendSearch } from "@/lib/usage/spend-params";

export const metadata: Metadata = { title: "Spend" };

export default async function SpendPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageActor("spend:read");
  const params = parseSpendParams(await searchParams);
  return (
    <>
      <PageHeader
        title="Spend"
        description="Cost from the price in force when each request ran, summed exactly. Days are UTC."
        actions={
          <Link href="/spend/budgets" className="text-sm text-indigo-700 hover:underline">
            Budgets
          </Link>
        }
      />
      <Suspense fallback={null}>
        <BudgetBanner />
      </Suspense>
      <Suspense fallback={<Skeleton className="h-20" />}>
        <UsageFilterForm params={params} action="/spend" />
      </Suspense>
      <Suspense key={spendSearch(params)} fallback={<Skeleton className="h-96" />}>
        <SpendReportCard params={params} />
      </Suspense>
    </>
  );
}
