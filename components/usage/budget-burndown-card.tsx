import { requirePageActor } from "@/lib/auth/session";
import { Badge, Card } from "@/components/ui/card";
import { LineSeriesChart } from "@/components/charts/line-chart";
import { BudgetMeter } from "@/components/usage/budget-meter";
import { DeleteBudgetButton } from "@/components/usage/delete-budget-button";
import { burnDown } from "@/lib/usage/budget-math";
import { dailySpendThisMonth, type BudgetStatus } from "@/lib/usage/budgets";

const SERIES = [
  { id: "remaining", label: "Remaining" },
  { id: "ideal", label: "Even pace" },
];

/** One budget: its meter and the burn-down of this month so far against an even pace. */
export async function BudgetBurndownCard({
  status,
  label,
  canEdit,
}: {
  status: BudgetStatus;
  label: string;
  canEdit: boolean;
}) {
  await requirePageActor("spend:read");
  const now = new Date();
  const points = burnDown(status.amount, await dailySpendThisMonth(status.scope, status.providerId, now), now);
  const rows = points.map((point) => ({
    period: point.day.slice(5),
    remaining: Number(point.remaining),
    ideal: Number(point.ideal),
  }));
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          {`${label}: ${status.month} (UTC)`}
          {status.hard ? (
            <span title="Hard budget: the gateway refuses requests once this month's spend reaches it.">
              <Badge tone="red">hard</Badge>
            </span>
          ) : (
            <span title="Soft budget: banners and audit events only; requests are not refused.">
              <Badge>soft</Badge>
            </span>
          )}
        </span>
      }
      actions={canEdit ? <DeleteBudgetButton budgetId={status.id} label={label} /> : null}
    >
      <BudgetMeter status={status} label={label} />
      <div className="mt-4">
        <LineSeriesChart
          rows={rows}
          series={SERIES}
          unit="usd"
          ariaLabel={`Burn-down of the ${label} budget: what remains each day against an even pace to zero at month end.`}
        />
      </div>
    </Card>
  );
}
