import { Badge } from "@/components/ui/card";
import type { MonthSpend } from "@/lib/gateway-keys/queries";
import { toUnits } from "@/lib/usage/money";

/** "$12.34 of $100.00" for this UTC month, red once at or over budget; unpriced records flagged. */
export function SpendAgainstBudget({ spend, budget }: { spend: MonthSpend; budget: string | null }) {
  const over = budget !== null && toUnits(spend.costUsd) >= toUnits(budget);
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className={over ? "font-medium text-red-700" : "text-slate-700"}>
        ${spend.costUsd}
        {budget !== null ? <span className="text-slate-500"> of ${budget}</span> : null}
      </span>
      {spend.unpricedCount > 0 ? (
        <Badge tone="amber">
          <span title="Requests without a price: their cost is not in the sum">unpriced {spend.unpricedCount}</span>
        </Badge>
      ) : null}
    </span>
  );
}
