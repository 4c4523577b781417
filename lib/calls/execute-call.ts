import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { UndecryptableError } from "@/lib/crypto/seal";
import { getEffectiveConfig } from "@/lib/config/effective-config";
import { KeyOriginMismatchError, type KeyTarget } from "@/lib/keys/with-decrypted-key";
import { withCallKey } from "@/lib/calls/call-key";
import {
  runCompletion,
  type CallMessage,
  type CompletionResult,
  type CompletionToolCall,
} from "@/lib/calls/run-completion";
import { DETAIL_MAX_LENGTH, scrubMessage } from "@/lib/provider-clients/errors";
import { BUSY_MESSAGE, providerCallLimiter } from "@/lib/provider-clients/call-limiter";
import { redactText } from "@/lib/log/redact";
import { recordUsage, type UsageSource } from "@/lib/usage/record-usage";
import type { ToolChoice, ToolSet } from "ai";
import type { CallModel, CallProvider } from "@/lib/calls/call-target";
import { unattempted, type CallOutcome, type NotRunClass } from "@/lib/calls/outcome";

export type ExecuteCallInput = {
  provider: CallProvider;
  model: CallModel | null;
  key: KeyTarget;
  messages: CallMessage[];
  tools?: ToolSet;
  toolChoice?: ToolChoice<ToolSet>;
  maxOutputTokens: number;
  /**
   * How the call is recorded: its usage source (TEST for the console's own calls) and tag, and
   * optionally the record's idempotency id (evaluations: one per result attempt); fresh otherwise.
   */
  usage: { source: UsageSource; tag: string; clientRecordId?: string };
  signal?: AbortSignal;
  onToken?: (text: string) => void;
};

/** An outcome plus what only a caller that asked for tools needs. */
export type ExecutedCall = CallOutcome & { toolCalls: CompletionToolCall[]; finishReason: string | null };

const NOT_RUN_MESSAGES: Record<NotRunClass, string> = {
  no_model: "This provider has no enabled chat model to test with. Add or import one.",
  no_key: "This provider has no usable key (active and not expired).",
  undecryptable: "The key cannot be decrypted with the configured master keys; rotate it.",
  busy: BUSY_MESSAGE,
  key_unbound:
    "The key was added for another host than this provider's base URL now points at, so it was not sent. Enter the key again or rebind it.",
};

export function notRun(
  provider: CallProvider,
  model: CallModel | null,
  errorClass: NotRunClass,
  keyId: string | null = null,
): CallOutcome {
  const ids = { providerId: provider.id, modelId: model?.id ?? null, modelName: model?.modelId ?? null, keyId };
  return unattempted(ids, errorClass, NOT_RUN_MESSAGES[errorClass]);
}

type Ran = { result: CompletionResult; keyId: string | null; detail: string | null };

// The cost is priced in SQL by recordUsage from the price in force; read it back by our own id.
async function recordOutcome(input: ExecuteCallInput, model: CallModel, ran: Ran, startedAt: Date) {
  const clientRecordId = input.usage.clientRecordId ?? randomUUID();
  const { result } = ran;
  await recordUsage(
    [
      {
        clientRecordId,
        occurredAt: startedAt,
        providerId: input.provider.id,
        modelId: model.id,
        keyId: ran.keyId,
        tag: input.usage.tag,
        inputTokens: result.ok ? result.inputTokens : 0,
        cachedInputTokens: result.ok ? Math.min(result.cachedInputTokens ?? 0, result.inputTokens) : 0,
        outputTokens: result.ok ? result.outputTokens : 0,
        latencyMs: result.totalMs,
        ttftMs: result.ttftMs ?? null,
        status: result.ok ? "OK" : "ERROR",
        errorClass: result.ok ? null : result.errorClass,
        httpStatus: result.httpStatus ?? null,
      },
    ],
    { source: input.usage.source },
  );
  const row = await db.usageRecord.findUnique({
    where: { source_clientRecordId: { source: input.usage.source, clientRecordId } },
    select: { cost: true, priced: true },
  });
  return { cost: row?.cost?.toFixed() ?? null, priced: row?.priced ?? false };
}

const notCalled = (outcome: CallOutcome): ExecutedCall => ({ ...outcome, toolCalls: [], finishReason: null });

/**
 * The call engine: one streamed call to a provider (test calls, Test all, health checks, the
 * playground, and later the gateway) with the messages and tools given. Runs with the effective
 * configuration, records a usage row with the caller's source and tag, and reports latency, TTFT,
 * tokens and cost. Never throws for provider failures; DomainErrors only for unknown targets.
 */
export async function executeCall(input: ExecuteCallInput): Promise<ExecutedCall> {
  const { provider, model } = input;
  if (!model) return notCalled(notRun(provider, null, "no_model"));
  const config = await getEffectiveConfig(provider.id, model.id);
  const values = config?.values;
  // Held only while the provider is being called, not while the outcome is recorded.
  const release = await providerCallLimiter.acquire();
  if (!release) return notCalled(notRun(provider, model, "busy", "keyId" in input.key ? input.key.keyId : null));
  const startedAt = new Date();
  let ran: Ran;
  try {
    ran = await withCallKey(provider, input.key, async (apiKey, keyId) => {
      const result = await runCompletion({
        kind: provider.kind,
        baseUrl: provider.baseUrl,
        apiKey,
        model: model.modelId,
        messages: input.messages,
        tools: input.tools,
        toolChoice: input.toolChoice,
        maxOutputTokens: input.maxOutputTokens,
        temperature: values?.temperature ?? undefined,
        topP: values?.topP ?? undefined,
        timeoutMs: values?.timeoutMs ?? 60_000,
        maxRetries: values?.retries ?? 0,
        signal: input.signal,
        onToken: input.onToken,
      });
      // Scrubbed again while the key is at hand: the answer text itself could echo it.
      const detail = result.ok || !result.detail ? null : scrubMessage(result.detail, apiKey, DETAIL_MAX_LENGTH);
      return { result: result.ok ? { ...result, text: redactText(result.text, [apiKey]) } : result, keyId, detail };
    });
  } catch (error) {
    const keyId = "keyId" in input.key ? input.key.keyId : null;
    if (error instanceof UndecryptableError) return notCalled(notRun(provider, model, "undecryptable", keyId));
    if (error instanceof KeyOriginMismatchError) return notCalled(notRun(provider, model, "key_unbound", keyId));
    if (error instanceof DomainError && error.code === "UNAVAILABLE")
      return notCalled(notRun(provider, model, "no_key", keyId));
    throw error;
  } finally {
    release();
  }
  const { cost, priced } = await recordOutcome(input, model, ran, startedAt);
  const { result } = ran;
  return {
    ok: result.ok,
    attempted: true,
    providerId: provider.id,
    modelId: model.id,
    modelName: model.modelId,
    keyId: ran.keyId,
    latencyMs: result.totalMs,
    ttftMs: result.ttftMs ?? null,
    inputTokens: result.ok ? result.inputTokens : 0,
    outputTokens: result.ok ? result.outputTokens : 0,
    cost,
    priced,
    errorClass: result.ok ? null : result.errorClass,
    httpStatus: result.httpStatus ?? null,
    message: result.ok ? "OK" : result.message,
    detail: ran.detail,
    answer: result.ok ? result.text : "",
    toolCalls: result.ok ? result.toolCalls : [],
    finishReason: result.ok ? result.finishReason : null,
  };
}
