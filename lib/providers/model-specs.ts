import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { conflict, notFound } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { changedFields, snapshot } from "@/lib/providers/audit-diff";
import { isUniqueViolation, lockActiveProvider } from "@/lib/providers/locks";
import {
  createModelSchema,
  modelRowIdSchema,
  setModelEnabledSchema,
  updateModelSchema,
} from "@/lib/providers/model-schemas";

// Models of a provider. Every load is scoped by provider id as well as model id.

const modelFieldsSelect = {
  modelId: true,
  displayName: true,
  type: true,
  domain: true,
  baseModel: true,
  contextWindow: true,
  maxOutputTokens: true,
  enabled: true,
} satisfies Prisma.ModelSelect;

const modelPaths = (input: { providerId: string; id?: string }) => [
  "/",
  "/providers",
  `/providers/${input.providerId}`,
  ...(input.id ? [`/providers/${input.providerId}/models/${input.id}`] : []),
];

// Audit details are redacted by field name (lib/log/redact.ts blanks anything named like "token"),
// so the token limit is recorded as "maxOutput" to stay readable in the audit log.
function forAudit<T>(record: Record<string, T>): Record<string, T> {
  const { maxOutputTokens, ...rest } = record;
  return maxOutputTokens === undefined ? rest : { ...rest, maxOutput: maxOutputTokens };
}

const duplicateModelId = (modelId: string) =>
  conflict("Choose another model id.", { modelId: [`This provider already has a model “${modelId}”.`] });

/** Runs a model write, turning the (providerId, modelId) unique violation into a field error. */
async function withModelIdCheck<T>(modelId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateModelId(modelId);
    throw error;
  }
}

async function loadModel(tx: Prisma.TransactionClient, providerId: string, id: string) {
  await lockActiveProvider(tx, providerId);
  const model = await tx.model.findFirst({ where: { id, providerId }, select: modelFieldsSelect });
  if (!model) throw notFound("Model");
  return model;
}

export const createModelSpec = {
  name: "models.create",
  capability: "providers:write",
  schema: createModelSchema,
  handler: async ({ providerId, price, ...fields }, actor) =>
    withModelIdCheck(fields.modelId, () =>
      db.$transaction(async (tx) => {
        await lockActiveProvider(tx, providerId);
        if (await tx.model.findFirst({ where: { providerId, modelId: fields.modelId }, select: { id: true } }))
          throw duplicateModelId(fields.modelId);
        const model = await tx.model.create({ data: { providerId, ...fields }, select: { id: true } });
        await writeAudit(
          {
            actor,
            action: "model.created",
            targetType: "model",
            targetId: model.id,
            details: { providerId, after: forAudit(snapshot(fields)) },
          },
          tx,
        );
        if (price) {
          const row = {
            inputPerMTok: price.inputPrice,
            outputPerMTok: price.outputPrice,
            cachedInputPerMTok: price.cachedInputPrice,
            effectiveFrom: price.effectiveFrom,
          };
          await tx.modelPrice.create({
            data: { modelId: model.id, createdById: actor.id, ...row },
            select: { id: true },
          });
          await writeAudit(
            {
              actor,
              action: "price.added",
              targetType: "model",
              targetId: model.id,
              details: { providerId, after: snapshot(row) },
            },
            tx,
          );
        }
        return { id: model.id };
      }),
    ),
  revalidate: modelPaths,
  successMessage: "Model added.",
} satisfies ActionSpec<typeof createModelSchema, { id: string }>;

export const updateModelSpec = {
  name: "models.update",
  capability: "providers:write",
  schema: updateModelSchema,
  handler: async ({ providerId, id, ...fields }, actor) =>
    withModelIdCheck(fields.modelId, () =>
      db.$transaction(async (tx) => {
        const before = await loadModel(tx, providerId, id);
        const changes = changedFields(before, fields);
        if (Object.keys(changes).length === 0) return;
        if (
          changes.modelId &&
          (await tx.model.findFirst({
            where: { providerId, modelId: fields.modelId, id: { not: id } },
            select: { id: true },
          }))
        ) {
          throw duplicateModelId(fields.modelId);
        }
        await tx.model.update({ where: { id }, data: fields, select: { id: true } });
        await writeAudit(
          {
            actor,
            action: "model.updated",
            targetType: "model",
            targetId: id,
            details: { providerId, changes: forAudit(changes) },
          },
          tx,
        );
      }),
    ),
  revalidate: modelPaths,
  successMessage: "Model saved.",
} satisfies ActionSpec<typeof updateModelSchema, void>;

export const setModelEnabledSpec = {
  name: "models.setEnabled",
  capability: "providers:write",
  schema: setModelEnabledSchema,
  handler: async ({ providerId, id, enabled }, actor) =>
    db.$transaction(async (tx) => {
      const before = await loadModel(tx, providerId, id);
      if (before.enabled !== enabled) {
        await tx.model.update({ where: { id }, data: { enabled }, select: { id: true } });
        await writeAudit(
          {
            actor,
            action: "model.updated",
            targetType: "model",
            targetId: id,
            details: { providerId, changes: { enabled: { before: before.enabled, after: enabled } } },
          },
          tx,
        );
      }
      return { enabled };
    }),
  revalidate: modelPaths,
  successMessage: (data) => (data?.enabled ? "Model enabled." : "Model disabled."),
} satisfies ActionSpec<typeof setModelEnabledSchema, { enabled: boolean }>;

export const deleteModelSpec = {
  name: "models.delete",
  capability: "providers:write",
  schema: modelRowIdSchema,
  handler: async ({ providerId, id }, actor) =>
    db.$transaction(async (tx) => {
      const before = await loadModel(tx, providerId, id);
      const prices = await tx.modelPrice.count({ where: { modelId: id } });
      // The price history cascades; the audit event keeps what was deleted.
      await tx.model.delete({ where: { id }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "model.deleted",
          targetType: "model",
          targetId: id,
          details: { providerId, before: forAudit(snapshot(before)), deletedPrices: prices },
        },
        tx,
      );
    }),
  revalidate: (input) => modelPaths({ providerId: input.providerId }),
  successMessage: "Model deleted.",
} satisfies ActionSpec<typeof modelRowIdSchema, void>;
