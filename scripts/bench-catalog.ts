import type { PrismaClient } from "../lib/generated/prisma/client";
import { SYNTHETIC_CATALOG } from "./bench-data";

// Creates the synthetic providers, models and prices (idempotent: existing names are reused, and
// a model that already has prices gets no new one). Prices apply from 2020 so every record is priced
// except the deliberately unpriced model's.

export async function ensureSyntheticCatalog(db: PrismaClient): Promise<void> {
  for (const spec of SYNTHETIC_CATALOG) {
    const provider =
      (await db.provider.findUnique({ where: { name: spec.name }, select: { id: true } })) ??
      (await db.provider.create({
        data: { name: spec.name, kind: spec.kind, baseUrl: spec.baseUrl, description: "Demo data" },
        select: { id: true },
      }));
    for (const model of spec.models) {
      const row = await db.model.upsert({
        where: { providerId_modelId: { providerId: provider.id, modelId: model.modelId } },
        create: {
          providerId: provider.id,
          modelId: model.modelId,
          displayName: model.modelId,
          maxOutputTokens: model.maxOutputTokens ?? null,
        },
        update: {},
        select: { id: true, _count: { select: { prices: true } } },
      });
      if (model.input === null || model.output === null || row._count.prices > 0) continue;
      await db.modelPrice.create({
        data: {
          modelId: row.id,
          inputPerMTok: model.input,
          outputPerMTok: model.output,
          cachedInputPerMTok: model.cached,
          effectiveFrom: new Date("2020-01-01T00:00:00Z"),
        },
      });
    }
  }
}
