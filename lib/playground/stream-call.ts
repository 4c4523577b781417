import "server-only";
import { db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/domain-error";
import type { Actor } from "@/lib/auth/session";
import { logger } from "@/lib/log/logger";
import { getTestCallSettings } from "@/lib/health-checks/settings";
import { saveTranscript } from "@/lib/playground/transcripts";
import { loadCallModel, loadCallProvider, type CallModel, type CallProvider } from "@/lib/calls/call-target";
import { executeCall } from "@/lib/calls/execute-call";
import { unattempted, type CallOutcome } from "@/lib/calls/outcome";
import type { PlaygroundRequest } from "@/lib/test-calls/schemas";
import { TEST_USAGE_TAG, testUsage } from "@/lib/test-calls/test-prompt";

/** One NDJSON line of the playground stream. */
export type PlaygroundEvent = { type: "token"; text: string } | { type: "done"; outcome: Omit<CallOutcome, "answer"> };

// The answer already went out token by token; the closing line carries only the measurements.
function withoutAnswer(outcome: CallOutcome): Omit<CallOutcome, "answer"> {
  const metrics: Partial<CallOutcome> = { ...outcome };
  delete metrics.answer;
  return metrics as Omit<CallOutcome, "answer">;
}

export type PlaygroundTarget = { provider: CallProvider; model: CallModel; keyId: string | null };

/** Resolves and scopes the picked provider, model and key before any byte is streamed (404s). */
export async function resolvePlaygroundTarget(request: PlaygroundRequest): Promise<PlaygroundTarget> {
  const provider = await loadCallProvider(request.providerId);
  const model = await loadCallModel(provider.id, request.modelId);
  if (request.keyId) {
    // A key of another provider must not be usable by naming it here.
    const key = await db.providerKey.findFirst({
      where: { id: request.keyId, providerId: provider.id },
      select: { id: true },
    });
    if (!key) throw notFound("Key");
  }
  return { provider, model, keyId: request.keyId ?? null };
}

/**
 * The answer as NDJSON: a "token" line per streamed chunk, then one "done" line with latency,
 * TTFT, tokens and cost. The call is recorded as TEST usage tagged "playground"; the prompt and
 * answer are stored only when transcripts are on. Aborting `signal` (the client went away)
 * cancels the provider call.
 */
export function streamPlaygroundCall(
  target: PlaygroundTarget,
  request: PlaygroundRequest,
  actor: Actor,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  const onAbort = () => abort.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: PlaygroundEvent) => {
        if (!abort.signal.aborted) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      try {
        const outcome = await executeCall({
          provider: target.provider,
          model: target.model,
          key: target.keyId ? { keyId: target.keyId } : { providerId: target.provider.id },
          messages: [{ role: "user", content: request.prompt }],
          maxOutputTokens: request.maxOutputTokens,
          usage: testUsage(TEST_USAGE_TAG.playground),
          signal: abort.signal,
          onToken: (text) => send({ type: "token", text }),
        });
        send({ type: "done", outcome: withoutAnswer(outcome) });
        if ((await getTestCallSettings()).storePlaygroundTranscripts)
          await saveTranscript(actor.id, request.prompt, outcome);
      } catch (error) {
        logger.error("playground call failed", { error });
        send({
          type: "done",
          outcome: withoutAnswer(
            unattempted(
              {
                providerId: target.provider.id,
                modelId: target.model.id,
                modelName: target.model.modelId,
                keyId: target.keyId,
              },
              "internal",
              "The call failed unexpectedly; the error was logged.",
            ),
          ),
        });
      } finally {
        signal.removeEventListener("abort", onAbort);
        try {
          controller.close();
        } catch {
          // Already closed because the client cancelled.
        }
      }
    },
    cancel() {
      abort.abort();
    },
  });
}
