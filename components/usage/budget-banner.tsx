import { requirePageActor } from "@/lib/auth/session";
import { loadBudgetStatuses } from "@/lib/usage/budgets";
import Link from "@/components/ui/link";
import { formatUsd } from "@/lib/charts/currency";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { OVERALL_SCOPE } from "@/lib/usage/schemas";

/**
 * Banners for budgets at 80 % or more of this month's amount (red at 100 %). For the overview and
 * spend pages; the thresholds themselves are announced by lib/notifications/budget-thresholds.ts.
 */
export async function BudgetBanner() {
  await requirePageActor("spend:read");
  const [statuses, labels] = await Promise.all([loadBudgetStatuses(), loadCatalogLabels()]);
  const reached = statuses.filter((status) => status.level > 0).sort((a, b) => b.percent - a.percent);
  if (reached.length === 0) return null;
  return (
    <div className="mb-6 space-y-2">
      {reached.map((status) => {
        const label =
          status.scope === OVERALL_SCOPE ? "The overall" : `The ${labels.label("provider", status.providerId)}`;
        const over = status.level === 100;
        return (
          <p
            key={status.id}
            role={over ? "alert" : "status"}
            data-testid="budget-banner"
            className={`rounded-md px-4 py-3 text-sm ring-1 ${over ? "bg-red-50 text-red-800 ring-red-200" : "bg-amber-50 text-amber-900 ring-amber-200"}`}
          >
            {label} budget is {over ? "used up" : "at 80 %"}: {formatUsd(status.spent)} of {formatUsd(status.amount)} (
            {status.percent.toFixed(1)} %) in {status.month}
            {status.unpriced ? `, plus ${status.unpriced.toLocaleString("en-US")} unpriced requests` : ""}.{" "}
            <Link href="/spend/budgets" className="font-medium underline">
              Budgets
            </Link>
          </p>
        );
      })}
    </div>
  );
}
