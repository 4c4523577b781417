import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, DomainError, notFound } from "@/lib/errors/domain-error";
import type { Actor } from "@/lib/auth/session";
import { checkRanges } from "@/lib/config/param-ranges";
import { configProviderSelect, latestConfigVersion, type ConfigVersionRow } from "@/lib/config/queries";
import { storedValuesOf } from "@/lib/config/schemas";
import { utcTime, type ConfigScopeName, type ConfigSnapshot } from "@/lib/config/fields";

type Tx = Prisma.TransactionClient;

export type ConfigTarget = { providerId: string; providerKind: string; modelId: string | null; scope: ConfigScopeName };

/**
 * Checks the target exists and is not frozen, then serialises writers of this one target for the
 * rest of the transaction. Under READ COMMITTED every statement after the lock sees what the
 * previous holder committed, so "latest version + 1" is always the next free number.
 */
export async function lockConfigTarget(tx: Tx, providerId: string, modelId: string | null): Promise<ConfigTarget> {
  const provider = await tx.provider.findUnique({ where: { id: providerId }, select: configProviderSelect });
  if (!provider) throw notFound("Provider");
  if (modelId && !(await tx.model.findFirst({ where: { id: modelId, providerId }, select: { id: true } })))
    throw notFound("Model");
  if (provider.archivedAt) throw conflict("This provider is archived. Restore it before changing its configuration.");
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`config:${providerId}:${modelId ?? "-"}`}))`;
  return { providerId, providerKind: provider.kind, modelId, scope: modelId ? "model" : "provider" };
}

/** Optimistic concurrency: a save must be based on the version in force, or it is refused. */
export async function assertBaseVersion(
  tx: Tx,
  target: ConfigTarget,
  baseVersion: number,
): Promise<ConfigVersionRow | null> {
  const latest = await latestConfigVersion(target.providerId, target.modelId, tx);
  const current = latest?.version ?? 0;
  if (current === baseVersion) return latest;
  if (!latest || baseVersion > current)
    throw conflict("This configuration has changed since you opened it — reload the page and make your change again.");
  throw conflict(
    `Changed by ${latest.authorEmail ?? "a removed user"} at ${utcTime(latest.createdAt)} (version ${latest.version}) — reload the page to see it, then make your change again.`,
  );
}

/** Kind-specific ranges; a version that breaks them is never written (also guards rollbacks after a kind change). */
export function assertInRange(
  target: ConfigTarget,
  snapshot: ConfigSnapshot,
  context = "Check the highlighted fields.",
): void {
  const errors = checkRanges(target.providerKind, snapshot);
  if (Object.keys(errors).length > 0) throw new DomainError("INVALID", context, errors);
}

export async function insertConfigVersion(
  tx: Tx,
  target: ConfigTarget,
  actor: Actor,
  snapshot: ConfigSnapshot,
  meta: { version: number; comment: string; rolledBackFrom: number | null },
): Promise<void> {
  await tx.configVersion.create({
    data: {
      scope: target.modelId ? "MODEL" : "PROVIDER",
      providerId: target.providerId,
      modelId: target.modelId,
      version: meta.version,
      values: storedValuesOf(snapshot),
      monthlyBudgetUsd: snapshot.monthlyBudgetUsd,
      authorId: actor.id,
      comment: meta.comment,
      rolledBackFrom: meta.rolledBackFrom,
    },
    select: { id: true },
  });
}

/** Audit rows point at what was configured: the provider, or the model. */
export function auditTarget(target: ConfigTarget): { targetType: string; targetId: string } {
  return target.modelId
    ? { targetType: "model", targetId: target.modelId }
    : { targetType: "provider", targetId: target.providerId };
}
