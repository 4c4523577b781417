import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { notFound } from "@/lib/errors/domain-error";
import { formatUsd } from "@/lib/charts/currency";
import { announceBudgetThresholdsNow } from "@/lib/notifications/budget-thresholds";
import { deleteBudgetSchema, OVERALL_SCOPE, setBudgetSchema } from "@/lib/usage/schemas";

// Budgets are an admin setting (settings:write); finance and viewers read them on the spend pages.

const PATHS = ["/spend/budgets", "/spend", "/"];

export const setBudgetSpec: ActionSpec<typeof setBudgetSchema, { id: string; created: boolean }> = {
  name: "budgets.set",
  capability: "settings:write",
  schema: setBudgetSchema,
  revalidate: PATHS,
  successMessage: (data) => (data?.created ? "Budget created." : "Budget updated."),
  handler: async (input, actor) => {
    const result = await db.$transaction(async (tx) => {
      let providerId: string | null = null;
      let label = "Overall";
      if (input.scope !== OVERALL_SCOPE) {
        const provider = await tx.provider.findUnique({ where: { id: input.scope }, select: { id: true, name: true } });
        if (!provider) throw notFound("Provider");
        providerId = provider.id;
        label = provider.name;
      }
      const before = await tx.budget.findUnique({
        where: { scope: input.scope },
        select: { id: true, monthlyAmount: true, hard: true },
      });
      const row = await tx.budget.upsert({
        where: { scope: input.scope },
        create: { scope: input.scope, providerId, monthlyAmount: input.monthlyAmount, hard: input.hard },
        update: { monthlyAmount: input.monthlyAmount, hard: input.hard },
        select: { id: true, monthlyAmount: true, hard: true },
      });
      await writeAudit(
        {
          actor,
          action: before ? "budget.updated" : "budget.created",
          targetType: "budget",
          targetId: row.id,
          details: {
            scope: input.scope,
            label,
            before: before ? formatUsd(before.monthlyAmount.toFixed(2)) : null,
            after: formatUsd(row.monthlyAmount.toFixed(2)),
            hard: { before: before ? before.hard : null, after: row.hard },
          },
        },
        tx,
      );
      return { id: row.id, created: !before };
    });
    // A budget set below what is already spent is announced now, not at the next minute tick.
    await announceBudgetThresholdsNow();
    return result;
  },
};

export const deleteBudgetSpec: ActionSpec<typeof deleteBudgetSchema, { scope: string }> = {
  name: "budgets.delete",
  capability: "settings:write",
  schema: deleteBudgetSchema,
  revalidate: PATHS,
  successMessage: "Budget removed.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const budget = await tx.budget.findUnique({
        where: { id: input.budgetId },
        select: { id: true, scope: true, monthlyAmount: true, hard: true },
      });
      if (!budget) throw notFound("Budget");
      await tx.budget.delete({ where: { id: budget.id } });
      await writeAudit(
        {
          actor,
          action: "budget.deleted",
          targetType: "budget",
          targetId: budget.id,
          details: { scope: budget.scope, before: formatUsd(budget.monthlyAmount.toFixed(2)), hard: budget.hard },
        },
        tx,
      );
      return { scope: budget.scope };
    }),
};

export const budgetActionSpecs = [setBudgetSpec, deleteBudgetSpec] as const;
