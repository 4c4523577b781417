import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { notFound } from "@/lib/errors/domain-error";
import { repriceSchema } from "@/lib/usage/schemas";
import { repriceUnpriced, type RepriceResult } from "@/lib/usage/reprice";
import { roundToCents } from "@/lib/usage/money";
import { budgetActionSpecs } from "@/lib/usage/budget-action-specs";
import { retentionActionSpecs } from "@/lib/usage/retention-action-specs";

export const repriceUnpricedSpec: ActionSpec<typeof repriceSchema, RepriceResult> = {
  name: "usage.reprice",
  capability: "prices:write",
  schema: repriceSchema,
  revalidate: ["/spend", "/usage", "/latency", "/"],
  successMessage: (data) =>
    `${data?.repriced ?? 0} record(s) priced ($${roundToCents(data?.cost ?? "0")}).` +
    (data?.stillUnpriced ? ` ${data.stillUnpriced} remain unpriced: they predate every price of this model.` : ""),
  handler: (input, actor) =>
    db.$transaction(
      async (tx) => {
        const model = await tx.model.findUnique({
          where: { id: input.modelId },
          select: { id: true, modelId: true, providerId: true },
        });
        if (!model) throw notFound("Model");
        const result = await repriceUnpriced(model.id, tx);
        await writeAudit(
          {
            actor,
            action: "usage.repriced",
            targetType: "model",
            targetId: model.id,
            details: {
              model: model.modelId,
              repriced: result.repriced,
              cost: result.cost,
              stillUnpriced: result.stillUnpriced,
            },
          },
          tx,
        );
        return result;
      },
      { timeout: 10 * 60_000, maxWait: 60_000 },
    ),
};

export const repriceActionSpecs = [repriceUnpricedSpec] as const;

/** Every mutating spec of the usage area, for the role-refusal tests. */
export const usageActionSpecs = [repriceUnpricedSpec, ...budgetActionSpecs, ...retentionActionSpecs] as const;
