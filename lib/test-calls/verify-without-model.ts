import "server-only";
import { UndecryptableError } from "@/lib/crypto/seal";
import { KeyOriginMismatchError, withDecryptedKey } from "@/lib/keys/with-decrypted-key";
import { verifyProviderKey } from "@/lib/provider-clients/verify-key";
import type { CallProvider } from "@/lib/calls/call-target";
import { notRun } from "@/lib/calls/execute-call";
import type { CallOutcome } from "@/lib/calls/outcome";

/**
 * A key test on a provider with no chat model yet (typically right after adding it, before
 * importing models): the key is still checked, by listing models, which spends no tokens.
 */
export async function verifyKeyWithoutModel(provider: CallProvider, keyId: string): Promise<CallOutcome> {
  const base = notRun(provider, null, "no_model", keyId);
  try {
    const result = await withDecryptedKey(
      { keyId },
      (apiKey) => verifyProviderKey({ kind: provider.kind, baseUrl: provider.baseUrl, apiKey }),
      {
        destination: provider.baseUrl,
      },
    );
    if (result.ok) {
      return {
        ...base,
        ok: true,
        errorClass: null,
        latencyMs: result.latencyMs,
        message: "The provider accepted the key (model list read; add a model to measure a completion).",
      };
    }
    return {
      ...base,
      errorClass: result.errorClass,
      httpStatus: result.httpStatus ?? null,
      message: result.message,
      detail: result.detail ?? null,
    };
  } catch (error) {
    if (error instanceof UndecryptableError) return notRun(provider, null, "undecryptable", keyId);
    if (error instanceof KeyOriginMismatchError) return notRun(provider, null, "key_unbound", keyId);
    throw error;
  }
}
