import { requirePageActor } from "@/lib/auth/session";
import { loadBudgetStatuses } from "@/lib/usage/budgets";
import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { BudgetMeter } from "@/components/usage/budget-meter";
import { percent } from "@/lib/charts/latency-chart";
import { formatMs } from "@/lib/charts/percentiles";
import { formatSpend, formatUsd } from "@/lib/charts/currency";
import { forecastMonthEnd, monthWindow } from "@/lib/usage/budget-math";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { monthToDateSpend, recentHealth, topModelsThisMonth } from "@/lib/usage/overview";
import { OVERALL_SCOPE } from "@/lib/usage/schemas";

// Overview widgets: each an async server component for its own <Suspense> on the overview page.
// Unpriced requests are always shown as a count beside the money, never folded in as $0.

/** A headline number with a link to the page behind it (also used by components/overview/). */
export function Stat({
  title,
  value,
  detail,
  href,
  testId,
}: {
  title: string;
  value: ReactNode;
  detail?: ReactNode;
  href: string;
  testId: string;
}) {
  return (
    <Card
      title={title}
      actions={
        <Link href={href} className="text-xs text-indigo-700 hover:underline">
          Details
        </Link>
      }
    >
      <p className="text-2xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </p>
      {detail ? <p className="mt-1 text-sm text-slate-600">{detail}</p> : null}
    </Card>
  );
}

export async function MonthToDateSpendWidget() {
  await requirePageActor("spend:read");
  const now = new Date();
  const { total } = await monthToDateSpend();
  const forecast = forecastMonthEnd(total.cost, now);
  return (
    <Stat
      title={`Spend this month (${monthWindow(now).month}, UTC)`}
      href="/spend"
      testId="overview-mtd-spend"
      value={formatSpend(total.cost, total.unpriced)}
      detail={
        <>
          {forecast === null
            ? "Month-end forecast after the first hour."
            : `Month-end forecast: ${formatUsd(forecast)} at this month's rate.`}
          {total.unpriced
            ? ` ${total.unpriced.toLocaleString("en-US")} unpriced requests are not in these amounts.`
            : ""}
        </>
      }
    />
  );
}

export async function BudgetBurnWidget() {
  await requirePageActor("spend:read");
  const [statuses, labels] = await Promise.all([loadBudgetStatuses(), loadCatalogLabels()]);
  return (
    <Card
      title="Budgets this month"
      actions={
        <Link href="/spend/budgets" className="text-xs text-indigo-700 hover:underline">
          Budgets
        </Link>
      }
    >
      {statuses.length === 0 ? (
        <p className="text-sm text-slate-600">No budgets set.</p>
      ) : (
        <div className="space-y-4">
          {statuses.map((status) => (
            <BudgetMeter
              key={status.id}
              status={status}
              label={status.scope === OVERALL_SCOPE ? "Overall" : labels.label("provider", status.providerId)}
            />
          ))}
        </div>
      )}
    </Card>
  );
}

export async function LatencyP95Widget() {
  await requirePageActor("usage:read");
  const health = await recentHealth();
  return (
    <Stat
      title="p95 latency, last 24 hours"
      href="/latency?per=hour"
      testId="overview-p95"
      value={formatMs(health.p95)}
      detail={
        health.requests
          ? `p50 ${formatMs(health.p50)} over ${health.requests.toLocaleString("en-US")} requests.`
          : "No requests in the last 24 hours."
      }
    />
  );
}

export async function ErrorRateWidget() {
  await requirePageActor("usage:read");
  const health = await recentHealth();
  return (
    <Stat
      title="Error rate, last 24 hours"
      href="/latency?per=hour"
      testId="overview-error-rate"
      value={percent(health.errors, health.requests)}
      detail={
        health.requests
          ? `${health.errors.toLocaleString("en-US")} of ${health.requests.toLocaleString("en-US")} requests failed.`
          : "No requests in the last 24 hours."
      }
    />
  );
}

export async function TopModelsWidget() {
  await requirePageActor("spend:read");
  const [models, labels] = await Promise.all([topModelsThisMonth(), loadCatalogLabels()]);
  return (
    <Card
      title="Top models by spend this month"
      actions={
        <Link href="/spend?by=model" className="text-xs text-indigo-700 hover:underline">
          Spend
        </Link>
      }
    >
      {models.length === 0 ? (
        <p className="text-sm text-slate-600">No usage this month.</p>
      ) : (
        <ol className="space-y-2 text-sm" data-testid="overview-top-models">
          {models.map((model) => (
            <li key={model.seriesId} className="flex justify-between gap-4">
              <span className="truncate text-slate-800">{labels.label("model", model.seriesId)}</span>
              <span className="whitespace-nowrap tabular-nums text-slate-700">
                {formatSpend(model.cost, model.unpriced, model.requests)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
