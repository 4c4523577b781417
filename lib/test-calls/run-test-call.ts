import "server-only";
import { db } from "@/lib/db/client";
import { conflict, DomainError, notFound } from "@/lib/errors/domain-error";
import type { Actor } from "@/lib/auth/session";
import { writeAudit } from "@/lib/audit/write-audit";
import { shortFingerprint } from "@/lib/keys/format";
import { scrubMessage } from "@/lib/provider-clients/errors";
import { loadCallModel, loadCallProvider, pickTestModel } from "@/lib/calls/call-target";
import { executeCall } from "@/lib/calls/execute-call";
import { verifyKeyWithoutModel } from "@/lib/test-calls/verify-without-model";
import { summariseOutcome, type CallOutcome } from "@/lib/calls/outcome";
import {
  TEST_MAX_OUTPUT_TOKENS,
  TEST_USAGE_TAG,
  testMessagesFor,
  testUsage,
  type TestUsageTag,
} from "@/lib/test-calls/test-prompt";

/** Stores the outcome on the key's "last test" columns (message scrubbed, bounded). */
export async function saveKeyLastTest(outcome: CallOutcome, actor: Actor | null, action: string): Promise<void> {
  if (!outcome.keyId) return;
  const keyId = outcome.keyId;
  const message = scrubMessage(summariseOutcome(outcome), undefined, 500);
  await db.$transaction(async (tx) => {
    const key = await tx.providerKey.update({
      where: { id: keyId },
      data: {
        lastTestAt: new Date(),
        lastTestOk: outcome.ok,
        lastTestMessage: message,
        lastTestDetail: outcome.ok ? null : outcome.detail,
      },
      select: { fingerprint: true },
    });
    // Scheduled checks would add one audit row per provider per interval; runs are their own record.
    if (actor) {
      await writeAudit(
        {
          actor,
          action,
          targetType: "provider_key",
          targetId: keyId,
          details: {
            providerId: outcome.providerId,
            model: outcome.modelName,
            fingerprint: shortFingerprint(key.fingerprint),
            ok: outcome.ok,
            errorClass: outcome.errorClass,
            latencyMs: outcome.latencyMs,
            ttftMs: outcome.ttftMs,
            cost: outcome.cost,
          },
        },
        tx,
      );
    }
  });
}

// A call this instance was too busy to make says nothing about the key: refuse, record nothing.
function refuseWhenBusy(outcome: CallOutcome): void {
  if (outcome.errorClass === "busy") throw new DomainError("UNAVAILABLE", outcome.message);
}

/** "Test" on a key: the tiny prompt through that key, on the provider's test model. */
export async function testKeyCall(keyId: string, actor: Actor): Promise<CallOutcome> {
  const key = await db.providerKey.findUnique({
    where: { id: keyId },
    select: { id: true, providerId: true, status: true },
  });
  if (!key) throw notFound("Key");
  if (key.status === "REVOKED" || key.status === "EXPIRED")
    throw conflict(`This key is ${key.status.toLowerCase()}; it is no longer used and cannot be tested.`);
  const provider = await loadCallProvider(key.providerId);
  const model = await pickTestModel(provider.id);
  const outcome = model
    ? await executeCall({
        provider,
        model,
        key: { keyId },
        messages: testMessagesFor(provider.kind),
        maxOutputTokens: TEST_MAX_OUTPUT_TOKENS,
        usage: testUsage(TEST_USAGE_TAG.test),
      })
    : await verifyKeyWithoutModel(provider, keyId);
  // A key that turned unusable between the check and the call (revoked meanwhile) is a conflict.
  if (outcome.errorClass === "no_key") throw conflict("This key is no longer usable (revoked or expired).");
  refuseWhenBusy(outcome);
  await saveKeyLastTest({ ...outcome, keyId }, actor, "key.tested");
  return { ...outcome, keyId };
}

/** "Test" on a model: the tiny prompt through the provider's primary key. */
export async function testModelCall(
  providerId: string,
  modelRowId: string,
  actor: Actor | null,
  tag: TestUsageTag = TEST_USAGE_TAG.test,
): Promise<CallOutcome> {
  const provider = await loadCallProvider(providerId);
  const model = await loadCallModel(provider.id, modelRowId);
  const outcome = await executeCall({
    provider,
    model,
    key: { providerId: provider.id },
    messages: testMessagesFor(provider.kind),
    maxOutputTokens: TEST_MAX_OUTPUT_TOKENS,
    usage: testUsage(tag),
  });
  refuseWhenBusy(outcome);
  await saveKeyLastTest(outcome, actor, "model.tested");
  return outcome;
}
