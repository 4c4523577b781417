import "server-only";
import { db } from "@/lib/db/client";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import type { ActionSpec } from "@/lib/actions/define-action";
import { writeAudit } from "@/lib/audit/write-audit";
import { verifyProviderKey } from "@/lib/provider-clients/verify-key";
import {
  addKeySchema,
  rebindKeySchema,
  returnToRotationSchema,
  revokeKeySchema,
  rotateKeySchema,
  setPrimarySchema,
  testKeySchema,
} from "@/lib/keys/schemas";
import { verifyPassword } from "@/lib/auth/password";
import { assertNotDuplicate, clearPrimary, insertKey, lockProvider } from "@/lib/keys/store";
import { shortFingerprint } from "@/lib/keys/format";
import { withDecryptedKey } from "@/lib/keys/with-decrypted-key";
import { UndecryptableError } from "@/lib/crypto/seal";
import { rewrapBatchSpec } from "@/lib/keys/rewrap-action-spec";

const DAY_MS = 24 * 60 * 60 * 1000;
const keysPath = (providerId: string) => [`/providers/${providerId}`, "/providers", "/"];

async function providerForVerification(providerId: string) {
  const provider = await db.provider.findUnique({
    where: { id: providerId },
    select: { id: true, kind: true, baseUrl: true },
  });
  if (!provider) throw notFound("Provider");
  return provider;
}

export const addKeySpec = {
  name: "keys.add",
  capability: "keys:write",
  schema: addKeySchema,
  secretFields: ["apiKey"],
  successMessage: "Key added. Only its last 4 characters are shown from now on.",
  revalidate: (input) => keysPath(input.providerId),
  handler: async (input, actor) =>
    db.$transaction(async (tx) => {
      const provider = await lockProvider(tx, input.providerId);
      await assertNotDuplicate(tx, input.apiKey);
      const hasPrimary =
        (await tx.providerKey.count({ where: { providerId: input.providerId, status: "ACTIVE", isPrimary: true } })) >
        0;
      const isPrimary = input.makePrimary || !hasPrimary;
      if (isPrimary) await clearPrimary(tx, input.providerId);
      // Bound to the host the provider points at now: the key is never sent anywhere else.
      const key = await insertKey(tx, { ...input, isPrimary, createdById: actor.id, baseUrl: provider.baseUrl });
      await writeAudit(
        {
          actor,
          action: "key.added",
          targetType: "provider_key",
          targetId: key.id,
          details: {
            providerId: input.providerId,
            label: input.label,
            fingerprint: key.fingerprint,
            primary: isPrimary,
            boundOrigin: new URL(provider.baseUrl).origin,
          },
        },
        tx,
      );
      return { keyId: key.id };
    }),
} satisfies ActionSpec<typeof addKeySchema, { keyId: string }>;

export const rotateKeySpec = {
  name: "keys.rotate",
  capability: "keys:write",
  schema: rotateKeySchema,
  secretFields: ["apiKey"],
  successMessage: (data) => (data?.verified ? "Key verified and rotated." : "Key rotated without verification."),
  revalidate: (input) => keysPath(input.providerId),
  handler: async (input, actor) => {
    const provider = await providerForVerification(input.providerId);
    // The network call happens before the transaction: no lock is held while the provider answers.
    const verification = await verifyProviderKey({
      kind: provider.kind,
      baseUrl: provider.baseUrl,
      apiKey: input.apiKey,
    });
    if (!verification.ok && !input.saveAnyway) {
      const detail = verification.detail ? ` The provider said: "${verification.detail}"` : "";
      throw new DomainError(
        "INVALID",
        `Verification failed (${verification.errorClass}): ${verification.message}${detail} Nothing was changed; tick "save anyway" to store the key regardless.`,
        {
          saveAnyway: [`The provider refused the key: ${verification.errorClass}.`],
        },
      );
    }
    const lastTest = verification.ok
      ? { ok: true, message: `Verified in ${verification.latencyMs} ms.` }
      : { ok: false, message: `${verification.errorClass}: ${verification.message}`, detail: verification.detail };
    return db.$transaction(async (tx) => {
      const locked = await lockProvider(tx, input.providerId);
      // The key was just sent to provider.baseUrl; it may only be bound to that same host.
      if (new URL(locked.baseUrl).origin !== new URL(provider.baseUrl).origin) {
        throw new DomainError(
          "CONFLICT",
          "The provider's base URL changed while the key was being verified. Nothing was changed; try again.",
        );
      }
      await assertNotDuplicate(tx, input.apiKey);
      const previous = await tx.providerKey.findFirst({
        where: { providerId: input.providerId, status: "ACTIVE", isPrimary: true },
        select: { id: true, fingerprint: true },
      });
      const now = new Date();
      if (previous) {
        await tx.providerKey.update({
          where: { id: previous.id },
          data:
            input.graceDays === 0
              ? { status: "REVOKED", isPrimary: false, revokedAt: now, retireAt: now }
              : { status: "RETIRING", isPrimary: false, retireAt: new Date(now.getTime() + input.graceDays * DAY_MS) },
          select: { id: true },
        });
      }
      await clearPrimary(tx, input.providerId);
      const key = await insertKey(tx, {
        ...input,
        isPrimary: true,
        createdById: actor.id,
        lastTest,
        baseUrl: locked.baseUrl,
      });
      await writeAudit(
        {
          actor,
          action: "key.rotated",
          targetType: "provider_key",
          targetId: key.id,
          details: {
            providerId: input.providerId,
            label: input.label,
            fingerprint: key.fingerprint,
            verified: verification.ok,
            previousKeyId: previous?.id ?? null,
            previousFingerprint: previous ? shortFingerprint(previous.fingerprint) : null,
            graceDays: input.graceDays,
          },
        },
        tx,
      );
      return { keyId: key.id, verified: verification.ok };
    });
  },
} satisfies ActionSpec<typeof rotateKeySchema, { keyId: string; verified: boolean }>;

export const revokeKeySpec = {
  name: "keys.revoke",
  capability: "keys:write",
  schema: revokeKeySchema,
  successMessage: "Key revoked. It will not be used again.",
  revalidate: ["/providers", "/"],
  handler: async (input, actor) =>
    db.$transaction(async (tx) => {
      const key = await tx.providerKey.findUnique({
        where: { id: input.keyId },
        select: { id: true, providerId: true, fingerprint: true, status: true },
      });
      if (!key) throw notFound("Key");
      await lockProvider(tx, key.providerId);
      if (key.status === "REVOKED") throw new DomainError("CONFLICT", "That key is already revoked.");
      await tx.providerKey.update({
        where: { id: key.id },
        data: { status: "REVOKED", isPrimary: false, revokedAt: new Date() },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "key.revoked",
          targetType: "provider_key",
          targetId: key.id,
          details: {
            providerId: key.providerId,
            fingerprint: shortFingerprint(key.fingerprint),
            previousStatus: key.status,
          },
        },
        tx,
      );
      return { providerId: key.providerId };
    }),
} satisfies ActionSpec<typeof revokeKeySchema, { providerId: string }>;

export const setPrimaryKeySpec = {
  name: "keys.setPrimary",
  capability: "keys:write",
  schema: setPrimarySchema,
  successMessage: "Primary key changed.",
  revalidate: ["/providers", "/"],
  handler: async (input, actor) =>
    db.$transaction(async (tx) => {
      const key = await tx.providerKey.findUnique({
        where: { id: input.keyId },
        select: { id: true, providerId: true, fingerprint: true },
      });
      if (!key) throw notFound("Key");
      await lockProvider(tx, key.providerId);
      // Re-read under the lock: the key may have been revoked or expired meanwhile.
      const current = await tx.providerKey.findUnique({
        where: { id: key.id },
        select: { status: true, expiresAt: true, isPrimary: true },
      });
      if (current?.status !== "ACTIVE" || (current.expiresAt && current.expiresAt <= new Date())) {
        throw new DomainError("CONFLICT", "Only an active key can be the primary key.");
      }
      if (current.isPrimary) return { providerId: key.providerId };
      await clearPrimary(tx, key.providerId);
      await tx.providerKey.update({ where: { id: key.id }, data: { isPrimary: true }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "key.primary_changed",
          targetType: "provider_key",
          targetId: key.id,
          details: { providerId: key.providerId, fingerprint: shortFingerprint(key.fingerprint) },
        },
        tx,
      );
      return { providerId: key.providerId };
    }),
} satisfies ActionSpec<typeof setPrimarySchema, { providerId: string }>;

export const testKeySpec = {
  name: "keys.test",
  capability: "keys:write",
  schema: testKeySchema,
  successMessage: (data) =>
    data?.ok ? "The provider accepted the key." : `The test failed: ${data?.message ?? "unknown error"}`,
  revalidate: ["/providers"],
  handler: async (input, actor) => {
    const key = await db.providerKey.findUnique({
      where: { id: input.keyId },
      select: { providerId: true, fingerprint: true, provider: { select: { kind: true, baseUrl: true } } },
    });
    if (!key) throw notFound("Key");
    const result = await withDecryptedKey(
      { keyId: input.keyId },
      (apiKey) => verifyProviderKey({ kind: key.provider.kind, baseUrl: key.provider.baseUrl, apiKey }),
      { destination: key.provider.baseUrl },
    ).catch((error: unknown) => {
      if (error instanceof UndecryptableError)
        throw new DomainError("CONFLICT", "This key cannot be decrypted with the configured master keys; rotate it.");
      throw error;
    });
    const message = result.ok ? `Verified in ${result.latencyMs} ms.` : `${result.errorClass}: ${result.message}`;
    const detail = result.ok ? null : (result.detail ?? null);
    await db.$transaction(async (tx) => {
      await tx.providerKey.update({
        where: { id: input.keyId },
        data: { lastTestAt: new Date(), lastTestOk: result.ok, lastTestMessage: message, lastTestDetail: detail },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "key.tested",
          targetType: "provider_key",
          targetId: input.keyId,
          details: { providerId: key.providerId, fingerprint: shortFingerprint(key.fingerprint), ok: result.ok },
        },
        tx,
      );
    });
    // Only ADMIN holds keys:write, so the excerpt may go back to this actor.
    return { ok: result.ok, message: detail ? `${message} The provider said: "${detail}"` : message };
  },
} satisfies ActionSpec<typeof testKeySchema, { ok: boolean; message: string }>;

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * Binds a stored key to the host its provider points at now, after the provider moved. Keys are
 * sent only to the host they were added for, so this is the one way to send one elsewhere without
 * entering it again: ADMIN only, with the admin's password re-entered, and audited.
 */
export const rebindKeySpec = {
  name: "keys.rebind",
  capability: "keys:write",
  schema: rebindKeySchema,
  secretFields: ["password"],
  successMessage: (data) =>
    data ? `Key rebound to ${data.origin}. It will be sent there from now on.` : "Key rebound.",
  revalidate: ["/providers", "/"],
  handler: async (input, actor) => {
    const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
    // A user created by single sign-on has no password to confirm with (null): refused the same way.
    if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) {
      throw new DomainError("INVALID", "That password is not right; the key was not rebound.", {
        password: ["That password is not right."],
      });
    }
    return db.$transaction(async (tx) => {
      const key = await tx.providerKey.findUnique({
        where: { id: input.keyId },
        select: { id: true, providerId: true, fingerprint: true, status: true, boundOrigin: true },
      });
      if (!key) throw notFound("Key");
      const provider = await lockProvider(tx, key.providerId);
      if (key.status === "REVOKED" || key.status === "EXPIRED")
        throw new DomainError("CONFLICT", `This key is ${key.status.toLowerCase()}; it cannot be rebound.`);
      const origin = originOf(provider.baseUrl);
      if (!origin) throw new DomainError("CONFLICT", "The provider's base URL is not a valid URL.");
      if (key.boundOrigin === origin)
        throw new DomainError("CONFLICT", "This key is already bound to the provider's host.");
      await tx.providerKey.update({ where: { id: key.id }, data: { boundOrigin: origin }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "key.rebound",
          targetType: "provider_key",
          targetId: key.id,
          details: {
            providerId: key.providerId,
            fingerprint: shortFingerprint(key.fingerprint),
            fromOrigin: key.boundOrigin,
            toOrigin: origin,
            reauthenticated: true,
          },
        },
        tx,
      );
      return { providerId: key.providerId, origin };
    });
  },
} satisfies ActionSpec<typeof rebindKeySchema, { providerId: string; origin: string }>;

/**
 * Puts a key the gateway took out of rotation (the provider answered 401 or "quota exhausted")
 * back into it, once an admin has fixed the cause. ADMIN only, audited with the reason it had.
 */
export const returnToRotationSpec = {
  name: "keys.returnToRotation",
  capability: "keys:write",
  schema: returnToRotationSchema,
  successMessage: "Key returned to the gateway's rotation.",
  revalidate: ["/providers", "/"],
  handler: async (input, actor) =>
    db.$transaction(async (tx) => {
      const key = await tx.providerKey.findUnique({ where: { id: input.keyId }, select: { providerId: true } });
      if (!key) throw notFound("Key");
      await lockProvider(tx, key.providerId);
      // Re-read under the lock: another admin may have returned it meanwhile.
      const current = await tx.providerKey.findUniqueOrThrow({
        where: { id: input.keyId },
        select: { id: true, fingerprint: true, outOfRotationAt: true, outOfRotationReason: true },
      });
      if (!current.outOfRotationAt) throw new DomainError("CONFLICT", "This key is already in the gateway's rotation.");
      await tx.providerKey.update({
        where: { id: current.id },
        data: { outOfRotationAt: null, outOfRotationReason: null },
        select: { id: true },
      });
      await writeAudit(
        {
          actor,
          action: "key.returned_to_rotation",
          targetType: "provider_key",
          targetId: current.id,
          details: {
            providerId: key.providerId,
            fingerprint: shortFingerprint(current.fingerprint),
            outOfRotationAt: current.outOfRotationAt.toISOString(),
            reason: current.outOfRotationReason,
          },
        },
        tx,
      );
      return { providerId: key.providerId };
    }),
} satisfies ActionSpec<typeof returnToRotationSchema, { providerId: string }>;

/** Every mutating key spec, for the role-refusal tests. */
export const keyActionSpecs = [
  addKeySpec,
  rotateKeySpec,
  revokeKeySpec,
  setPrimaryKeySpec,
  testKeySpec,
  rebindKeySpec,
  returnToRotationSpec,
  rewrapBatchSpec,
] as const;
