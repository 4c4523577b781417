import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { conflict, notFound } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import { db } from "@/lib/db/client";
import { snapshot } from "@/lib/providers/audit-diff";
import { isUniqueViolation, lockActiveProvider } from "@/lib/providers/locks";
import { addPriceSchema } from "@/lib/providers/model-schemas";
import { priceInForce } from "@/lib/providers/price-in-force";
import { repriceUnpriced, type RepriceResult } from "@/lib/usage/reprice";

// Prices are append-only: a change adds a row with its own effective date and never edits one,
// so spend computed for any past day keeps using the price that applied that day.

const sameDate = () =>
  conflict("A price with that effective date already exists.", {
    effectiveFrom: ["This model already has a price from that date. Prices are never overwritten: pick another date."],
  });

export const addPriceSpec = {
  name: "prices.add",
  capability: "prices:write",
  schema: addPriceSchema,
  handler: async (
    {
      providerId,
      id,
      inputPrice,
      outputPrice,
      cachedInputPrice,
      effectiveFrom,
      trainingPrice,
      fineTunedInputPrice,
      fineTunedOutputPrice,
    },
    actor,
  ) => {
    try {
      return await db.$transaction(
        async (tx) => {
          await lockActiveProvider(tx, providerId);
          const model = await tx.model.findFirst({
            where: { id, providerId },
            select: {
              id: true,
              prices: {
                select: {
                  inputPerMTok: true,
                  outputPerMTok: true,
                  cachedInputPerMTok: true,
                  trainingPerMTok: true,
                  fineTunedInputPerMTok: true,
                  fineTunedOutputPerMTok: true,
                  effectiveFrom: true,
                },
              },
            },
          });
          if (!model) throw notFound("Model");
          if (model.prices.some((price) => price.effectiveFrom.getTime() === effectiveFrom.getTime())) throw sameDate();
          const previous = priceInForce(model.prices, effectiveFrom);
          const row = {
            inputPerMTok: inputPrice,
            outputPerMTok: outputPrice,
            cachedInputPerMTok: cachedInputPrice,
            trainingPerMTok: trainingPrice ?? null,
            fineTunedInputPerMTok: fineTunedInputPrice ?? null,
            fineTunedOutputPerMTok: fineTunedOutputPrice ?? null,
            effectiveFrom,
          };
          await tx.modelPrice.create({ data: { modelId: id, createdById: actor.id, ...row }, select: { id: true } });
          // Usage recorded while the model had no price is priced in the same transaction, so the
          // price and the recomputed records (and rollups) commit together.
          const repriced = await repriceUnpriced(id, tx);
          await writeAudit(
            {
              actor,
              action: "price.added",
              targetType: "model",
              targetId: id,
              details: {
                providerId,
                before: previous ? snapshot(previous) : null,
                after: snapshot(row),
                repriced: repriced.repriced,
                repricedCost: repriced.cost,
              },
            },
            tx,
          );
          return repriced;
        },
        { timeout: 10 * 60_000, maxWait: 60_000 },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw sameDate();
      throw error;
    }
  },
  revalidate: (input) => ["/", `/providers/${input.providerId}`, `/providers/${input.providerId}/models/${input.id}`],
  successMessage: (result) =>
    result && result.repriced > 0
      ? `Price added. ${result.repriced} unpriced usage record(s) are now priced ($${result.cost}); ${result.stillUnpriced} older than this price stay unpriced.`
      : "Price added. Earlier prices stay in the history.",
} satisfies ActionSpec<typeof addPriceSchema, RepriceResult>;
