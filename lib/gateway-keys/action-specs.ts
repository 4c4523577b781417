import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionSpec } from "@/lib/actions/define-action";
import { writeAudit } from "@/lib/audit/write-audit";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { generateGatewayKey } from "@/lib/gateway-keys/key-material";
import { limitsIdOf } from "@/lib/gateway-keys/lineage";
import { unknownEntries } from "@/lib/gateway-keys/model-names";
import { callableModels } from "@/lib/gateway-keys/queries";
import { liveRouteNames } from "@/lib/routes/queries";
import {
  createGatewayKeySchema,
  revokeGatewayKeySchema,
  rotateGatewayKeySchema,
  updateGatewayKeySchema,
  type GatewayKeyInput,
} from "@/lib/gateway-keys/schemas";
import { gatewayKeyState } from "@/lib/gateway-keys/status";

// Gateway keys: created and rotated keys are returned once in the action result and stored only as
// SHA-256 + last 4. Audit rows carry the name and last 4, never the key or its hash. Every write
// goes through Prisma's @updatedAt, which the gateway polls to drop cached keys.

const KEY_PATHS = ["/gateway/keys", "/gateway/teams"];
const keyPaths = (id: string) => [...KEY_PATHS, `/gateway/keys/${id}`];

/** The plaintext key, shown once; nothing else in the console ever holds it. */
export type IssuedGatewayKey = { id: string; name: string; last4: string; key: string };

type Tx = Prisma.TransactionClient;

/** Team and models are checked against the database at save time, as field errors. */
async function checkReferences(tx: Tx, input: GatewayKeyInput): Promise<void> {
  const fieldErrors: Record<string, string[]> = {};
  const team = await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } });
  if (!team) fieldErrors.teamId = ["That team no longer exists. Choose another."];
  if (input.allowedModels.length > 0) {
    // A route's name is called like a model name, so the allow-list may name routes too.
    const routes = await liveRouteNames(tx);
    const unknown = unknownEntries(input.allowedModels, await callableModels(tx)).filter((entry) => !routes.has(entry));
    if (unknown.length > 0) {
      fieldErrors.allowedModels = unknown.map(
        (entry) =>
          `“${entry}” is not an enabled model of an enabled provider or a route (use provider-slug/model-id, a model id or a route name).`,
      );
    }
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new DomainError("INVALID", "Check the highlighted fields.", fieldErrors);
  }
}

/** What the audit log records about a key's settings (no key material). */
const settingsOf = (input: GatewayKeyInput) => ({
  name: input.name,
  teamId: input.teamId,
  allowedModels: input.allowedModels,
  monthlyBudgetUsd: input.monthlyBudgetUsd,
  rpmLimit: input.rpmLimit,
  tpmLimit: input.tpmLimit,
  maxParallel: input.maxParallel,
  allowedIps: input.allowedIps,
  expiresAt: input.expiresAt?.toISOString() ?? null,
});

async function insertKey(
  tx: Tx,
  settings: GatewayKeyInput,
  createdById: string,
  lineageId: string | null = null,
): Promise<IssuedGatewayKey> {
  const { key, hash, last4 } = generateGatewayKey();
  const row = await tx.gatewayKey.create({
    data: { ...settings, keyHash: hash, last4, createdById, lineageId },
    select: { id: true, name: true, last4: true },
  });
  return { ...row, key };
}

/** Locks the key's row for the change, so two rotations (or a rotation and a revoke) queue. */
async function lockKey(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM gateway_keys WHERE id = ${id}::uuid FOR UPDATE`;
  const key = await tx.gatewayKey.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      last4: true,
      teamId: true,
      allowedModels: true,
      monthlyBudgetUsd: true,
      rpmLimit: true,
      tpmLimit: true,
      maxParallel: true,
      allowedIps: true,
      expiresAt: true,
      status: true,
      revokedAt: true,
      retiresAt: true,
      lineageId: true,
    },
  });
  if (!key) throw notFound("Gateway key");
  return key;
}

export const createGatewayKeySpec = {
  name: "gatewayKeys.create",
  capability: "gateway:write",
  schema: createGatewayKeySchema,
  revalidate: KEY_PATHS,
  successMessage: "Key created. Copy it now: you will not see it again.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      await checkReferences(tx, input);
      const issued = await insertKey(tx, input, actor.id);
      await writeAudit(
        {
          actor,
          action: "gateway_key.created",
          targetType: "gateway_key",
          targetId: issued.id,
          details: { ...settingsOf(input), last4: issued.last4 },
        },
        tx,
      );
      return issued;
    }),
} satisfies ActionSpec<typeof createGatewayKeySchema, IssuedGatewayKey>;

export const updateGatewayKeySpec = {
  name: "gatewayKeys.update",
  capability: "gateway:write",
  schema: updateGatewayKeySchema,
  revalidate: (input) => keyPaths(input.gatewayKeyId),
  successMessage: "Key saved. The gateway applies the new settings within a second.",
  handler: ({ gatewayKeyId, ...input }, actor) =>
    db.$transaction(async (tx) => {
      const key = await lockKey(tx, gatewayKeyId);
      const now = new Date();
      if (gatewayKeyState(key, now).kind === "revoked") {
        throw new DomainError("CONFLICT", "This key is revoked and cannot be changed.");
      }
      if (key.retiresAt && key.retiresAt <= now) {
        throw new DomainError("CONFLICT", "This key was rotated and its grace period is over; change its replacement.");
      }
      await checkReferences(tx, input);
      await tx.gatewayKey.update({ where: { id: gatewayKeyId }, data: input, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "gateway_key.updated",
          targetType: "gateway_key",
          targetId: gatewayKeyId,
          details: { ...settingsOf(input), last4: key.last4 },
        },
        tx,
      );
    }),
} satisfies ActionSpec<typeof updateGatewayKeySchema, void>;

export const revokeGatewayKeySpec = {
  name: "gatewayKeys.revoke",
  capability: "gateway:write",
  schema: revokeGatewayKeySchema,
  revalidate: (input) => keyPaths(input.gatewayKeyId),
  successMessage: (data) =>
    data?.changed ? `${data.name} is revoked: the gateway refuses it from now on.` : "That key was already revoked.",
  handler: ({ gatewayKeyId }, actor) =>
    db.$transaction(async (tx) => {
      const key = await lockKey(tx, gatewayKeyId);
      if (key.status === "REVOKED") return { name: key.name, changed: false };
      // @updatedAt moves too: the gateway polls max(updated_at) and drops its cached copy.
      await tx.gatewayKey.update({
        where: { id: gatewayKeyId },
        data: { status: "REVOKED", revokedAt: new Date() },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "gateway_key.revoked",
          targetType: "gateway_key",
          targetId: gatewayKeyId,
          details: { name: key.name, last4: key.last4, teamId: key.teamId },
        },
        tx,
      );
      return { name: key.name, changed: true };
    }),
} satisfies ActionSpec<typeof revokeGatewayKeySchema, { name: string; changed: boolean }>;

export const rotateGatewayKeySpec = {
  name: "gatewayKeys.rotate",
  capability: "gateway:write",
  schema: rotateGatewayKeySchema,
  revalidate: (input) => keyPaths(input.gatewayKeyId),
  successMessage: (data) =>
    data?.graceMinutes
      ? "New key created; the old one keeps working until its grace period ends. Copy the new key now: you will not see it again."
      : "New key created and the old one revoked. Copy the new key now: you will not see it again.",
  handler: ({ gatewayKeyId, graceMinutes }, actor) =>
    db.$transaction(async (tx) => {
      const old = await lockKey(tx, gatewayKeyId);
      const now = new Date();
      const state = gatewayKeyState(old, now);
      if (state.kind === "revoked") throw new DomainError("CONFLICT", "This key is revoked; create a new key instead.");
      if (state.kind === "expired")
        throw new DomainError("CONFLICT", "This key has expired; create a new key instead.");
      if (state.kind === "retiring") {
        throw new DomainError("CONFLICT", "This key was already rotated; rotate its replacement instead.");
      }
      // The successor inherits everything but the key itself: same team, limits, models, addresses, expiry.
      const settings: GatewayKeyInput = {
        name: old.name,
        teamId: old.teamId,
        allowedModels: old.allowedModels,
        monthlyBudgetUsd: old.monthlyBudgetUsd?.toFixed(2) ?? null,
        rpmLimit: old.rpmLimit,
        tpmLimit: old.tpmLimit,
        maxParallel: old.maxParallel,
        allowedIps: old.allowedIps,
        expiresAt: old.expiresAt,
      };
      // And its budget and limits: counted under the chain's first key, so the month's spend and
      // the minute's requests carry over, and old and new key share them during the grace period.
      const issued = await insertKey(tx, settings, actor.id, limitsIdOf(old));
      const retiresAtNew = new Date(now.getTime() + graceMinutes * 60_000);
      await tx.gatewayKey.update({
        where: { id: old.id },
        data:
          graceMinutes === 0
            ? { status: "REVOKED", revokedAt: now, retiresAt: now, replacedById: issued.id }
            : { retiresAt: retiresAtNew, replacedById: issued.id },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "gateway_key.rotated",
          targetType: "gateway_key",
          targetId: issued.id,
          details: {
            name: issued.name,
            last4: issued.last4,
            previousKeyId: old.id,
            previousLast4: old.last4,
            graceMinutes,
            previousRetiresAt: graceMinutes === 0 ? now.toISOString() : retiresAtNew.toISOString(),
          },
        },
        tx,
      );
      return { ...issued, graceMinutes };
    }),
} satisfies ActionSpec<typeof rotateGatewayKeySchema, IssuedGatewayKey & { graceMinutes: number }>;

export const gatewayKeyActionSpecs = [
  createGatewayKeySpec,
  updateGatewayKeySpec,
  revokeGatewayKeySpec,
  rotateGatewayKeySpec,
] as const;
