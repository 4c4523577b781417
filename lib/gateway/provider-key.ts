import "server-only";
import type { GatewayModel } from "@/lib/gateway/catalog-cache";
import { DomainError } from "@/lib/errors/domain-error";
import { withGatewayProviderKey } from "@/lib/keys/with-decrypted-key";

export type KeyInUse = { keyId: string | null; last4: string | null };

// The provider's key for one gateway call, opened only for its duration (lib/keys): the next of
// its usable keys in turn, skipping those that already failed this request. Keyless kinds (Ollama,
// a local OpenAI-compatible server) are called without one when none is stored.
export async function withProviderKey<T>(
  model: GatewayModel,
  fn: (apiKey: string, keyId: string | null, key: KeyInUse) => Promise<T>,
  options: { exclude?: ReadonlySet<string> } = {},
): Promise<T> {
  let opened = false;
  try {
    return await withGatewayProviderKey(
      model.provider.id,
      (apiKey, used) => {
        opened = true;
        return fn(apiKey, used.keyId, { keyId: used.keyId, last4: used.last4 });
      },
      options,
    );
  } catch (error) {
    const noKey = !opened && error instanceof DomainError && error.code === "UNAVAILABLE";
    if (noKey && !model.provider.kind.keyRequired && !options.exclude?.size)
      return fn("", null, { keyId: null, last4: null });
    throw error;
  }
}
