import { formatSpend, formatUsd } from "@/lib/charts/currency";
import type { BudgetStatus } from "@/lib/usage/budgets";

// One budget's use this month: a bar (capped at 100 % wide), the exact amounts, unpriced requests
// beside them (they may hide cost), and the month-end forecast.

const TONE = { 0: "bg-emerald-500", 80: "bg-amber-500", 100: "bg-red-600" } as const;

export function BudgetMeter({ status, label }: { status: BudgetStatus; label: string }) {
  return (
    <div className="space-y-1" data-testid={`budget-${status.scope}`}>
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <span className="font-medium text-slate-800">{label}</span>
        <span className="tabular-nums text-slate-700">
          {formatSpend(status.spent, status.unpriced)} of {formatUsd(status.amount)} ({status.percent.toFixed(1)} %)
        </span>
      </div>
      <div
        className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
        role="progressbar"
        aria-label={`${label} budget used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, Math.round(status.percent))}
      >
        <div className={`h-full ${TONE[status.level]}`} style={{ width: `${Math.min(100, status.percent)}%` }} />
      </div>
      <p className="text-xs text-slate-500">
        {status.forecast === null
          ? "Forecast after the month's first hour."
          : `Month-end forecast at this rate: ${formatUsd(status.forecast)}.`}
      </p>
    </div>
  );
}
