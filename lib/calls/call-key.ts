import "server-only";
import { DomainError } from "@/lib/errors/domain-error";
import { withDecryptedKey, type KeyTarget } from "@/lib/keys/with-decrypted-key";
import { providerKind } from "@/lib/providers/catalog";

/**
 * Runs `fn` with the key a console-made call should use. Kinds that need no key (Ollama, some
 * OpenAI-compatible servers) are called without one when the provider has none stored; a named
 * key is always required to be usable.
 */
export async function withCallKey<T>(
  provider: { id: string; kind: string; baseUrl: string },
  target: KeyTarget,
  fn: (apiKey: string, keyId: string | null) => Promise<T>,
): Promise<T> {
  try {
    // The key opens only for the URL this call will use (the provider row loaded by the caller).
    return await withDecryptedKey(target, (apiKey, used) => fn(apiKey, used.keyId), { destination: provider.baseUrl });
  } catch (error) {
    const keyless = "providerId" in target && !providerKind(provider.kind).keyRequired;
    if (keyless && error instanceof DomainError && error.code === "UNAVAILABLE") return fn("", null);
    throw error;
  }
}
