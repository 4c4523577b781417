import "server-only";
import type { GatewayModel } from "@/lib/gateway/catalog-cache";
import { DomainError } from "@/lib/errors/domain-error";
import { withGatewayProviderKey } from "@/lib/keys/with-decrypted-key";

// The provider's key for one gateway call, opened only for its duration (lib/keys). Keyless kinds
// (Ollama, a local OpenAI-compatible server) are called without one when none is stored.
export async function withProviderKey<T>(
  model: GatewayModel,
  fn: (apiKey: string, keyId: string | null) => Promise<T>,
): Promise<T> {
  try {
    return await withGatewayProviderKey(model.provider.id, (apiKey, used) => fn(apiKey, used.keyId));
  } catch (error) {
    if (!model.provider.kind.keyRequired && error instanceof DomainError && error.code === "UNAVAILABLE")
      return fn("", null);
    throw error;
  }
}
