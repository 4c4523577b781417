import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { BudgetBanner } from "@/components/usage/budget-banner";
import { BudgetBurndownCard } from "@/components/usage/budget-burndown-card";
import { BudgetForm } from "@/components/usage/budget-form";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { loadBudgetStatuses } from "@/lib/usage/budgets";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { OVERALL_SCOPE } from "@/lib/usage/schemas";

export const metadata: Metadata = { title: "Budgets" };

async function BudgetList({ canEdit }: { canEdit: boolean }) {
  await requirePageActor("spend:read");
  const [statuses, labels] = await Promise.all([loadBudgetStatuses(), loadCatalogLabels()]);
  if (statuses.length === 0)
    return <p className="text-sm text-slate-600">No budgets yet.{canEdit ? " Set one with the form." : ""}</p>;
  return (
    <div className="grid gap-6">
      {statuses.map((status) => {
        const label = status.scope === OVERALL_SCOPE ? "Overall" : labels.label("provider", status.providerId);
        return <BudgetBurndownCard key={status.id} status={status} label={label} canEdit={canEdit} />;
      })}
    </div>
  );
}

async function BudgetFormCard() {
  await requirePageActor("settings:write");
  const { providers } = await loadCatalogLabels();
  return <BudgetForm providers={providers} />;
}

export default async function BudgetsPage() {
  const actor = await requirePageActor("spend:read");
  const canEdit = can(actor.role, "settings:write");
  return (
    <>
      <PageHeader
        title="Budgets"
        description="Monthly budgets, overall and per provider, against spend priced from the rollups. Banners appear at 80 % and 100 %, and each crossing is written to the audit log once a month. A hard budget also makes the gateway refuse requests once this month's spend reaches it."
      />
      <Suspense fallback={null}>
        <BudgetBanner />
      </Suspense>
      <div className={canEdit ? "grid gap-6 lg:grid-cols-3" : ""}>
        {canEdit ? (
          <Card title="Set a budget" className="lg:col-span-1 self-start">
            <Suspense fallback={<Skeleton className="h-40" />}>
              <BudgetFormCard />
            </Suspense>
          </Card>
        ) : null}
        <div className={canEdit ? "lg:col-span-2" : ""}>
          <Suspense fallback={<Skeleton className="h-96" />}>
            <BudgetList canEdit={canEdit} />
          </Suspense>
        </div>
      </div>
    </>
  );
}
