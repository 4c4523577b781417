import "server-only";
import { countByKeyId } from "@/lib/crypto/rewrap";
import { currentKeyring } from "@/lib/crypto/seal";
import { scanSecrets } from "@/lib/crypto/secrets-health";

export type MasterKeyStatusDto = {
  currentKeyId: string;
  olderKeyIds: string[];
  knownKeyIds: string[];
  columns: { name: string; counts: Record<string, number>; undecryptable: number }[];
};

/** Ids (never key bytes) of the keyring and, per encrypted column, rows per sealing key id. */
export async function getMasterKeyStatus(): Promise<MasterKeyStatusDto> {
  const keyring = currentKeyring();
  const [counts, scan] = await Promise.all([countByKeyId(), scanSecrets()]);
  const knownKeyIds = [...keyring.all.keys()];
  return {
    currentKeyId: keyring.current.id,
    olderKeyIds: knownKeyIds.slice(1),
    knownKeyIds,
    columns: Object.entries(counts).map(([name, byKey]) => ({
      name,
      counts: byKey,
      undecryptable: scan[name]?.undecryptable ?? 0,
    })),
  };
}
