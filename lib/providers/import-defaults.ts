import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_MODELS_CHECKED_ON, defaultModelsFor } from "@/lib/providers/default-models";

/**
 * Adds the curated models of a kind to a new provider, each with one price row dated the day the
 * list was checked, so the history shows where the price came from. Returns the model ids.
 */
export async function importDefaultModels(
  tx: Prisma.TransactionClient,
  providerId: string,
  kind: string,
  actorId: string,
): Promise<string[]> {
  const effectiveFrom = new Date(`${DEFAULT_MODELS_CHECKED_ON}T00:00:00.000Z`);
  const imported: string[] = [];
  for (const model of defaultModelsFor(kind)) {
    await tx.model.create({
      data: {
        providerId,
        modelId: model.modelId,
        displayName: model.displayName,
        type: model.type,
        domain: model.domain ?? null,
        contextWindow: model.contextWindow,
        prices: {
          create: {
            inputPerMTok: model.price.input,
            outputPerMTok: model.price.output,
            cachedInputPerMTok: model.price.cachedInput ?? null,
            effectiveFrom,
            createdById: actorId,
          },
        },
      },
      select: { id: true },
    });
    imported.push(model.modelId);
  }
  return imported;
}
