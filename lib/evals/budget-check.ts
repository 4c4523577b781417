import "server-only";
import { db } from "@/lib/db/client";
import { monthToDateSpend } from "@/lib/usage/budgets";
import { toUnits } from "@/lib/usage/money";
import { OVERALL_SCOPE } from "@/lib/usage/schemas";

// Evaluation calls count against the organisation's hard budgets like gateway requests: before
// each call, the overall budget and the provider's are compared with this month's spend (the daily
// rollups, which every EVAL usage record updates in the same statement). A call past a hard budget
// is not made, and that one case fails with this message; the run goes on (later cases fail the
// same way until the budget is raised). A model without a price cannot be called under a hard
// budget, as in the gateway. Reservations of gateway requests still in flight are not counted.

export async function budgetRefusal(providerId: string, priced: boolean, now = new Date()): Promise<string | null> {
  const budgets = await db.budget.findMany({
    where: { hard: true, OR: [{ scope: OVERALL_SCOPE }, { providerId }] },
    select: { scope: true, monthlyAmount: true },
  });
  if (budgets.length === 0) return null;
  if (!priced)
    return "This model has no price, so a call under a hard budget cannot be made: add a price on the model's page.";
  const spend = await monthToDateSpend(now);
  for (const budget of budgets) {
    const used = budget.scope === OVERALL_SCOPE ? spend.total.cost : (spend.byProvider.get(providerId)?.cost ?? "0");
    if (toUnits(used) >= toUnits(budget.monthlyAmount.toFixed(2)))
      return `Budget reached: ${budget.scope === OVERALL_SCOPE ? "the organisation's overall" : "this provider's"} hard monthly budget of $${budget.monthlyAmount.toFixed(2)} is spent.`;
  }
  return null;
}
