import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { writeAudit } from "@/lib/audit/write-audit";
import { countByKeyId, rewrapBatch, type KeyIdCounts, type RewrapCursor } from "@/lib/crypto/rewrap";
import { currentMasterKeyId } from "@/lib/crypto/seal";
import { invalidateSecretsScan } from "@/lib/crypto/secrets-health";
import { expireKeys } from "@/lib/keys/expire-keys";
import { rewrapBatchSchema } from "@/lib/keys/schemas";

export type RewrapProgress = {
  moved: number;
  undecryptable: number;
  skippedConcurrent: number;
  /** Pass back to continue; null when every registered column has been walked. */
  cursor: string | null;
  counts: KeyIdCounts;
  currentKeyId: string;
};

// One batch per call so the settings page can show progress and a closed tab loses nothing: the
// page calls again with the returned cursor until it is null.
export const rewrapBatchSpec = {
  name: "masterkey.rewrap",
  capability: "settings:write",
  schema: rewrapBatchSchema,
  revalidate: ["/settings"],
  successMessage: (data) =>
    data?.cursor ? "Re-encrypting…" : "Every readable secret is now sealed with the current master key.",
  handler: async (input, actor) => {
    if (!input.cursor) await expireKeys();
    const batch = await rewrapBatch(input.cursor as RewrapCursor | null);
    invalidateSecretsScan();
    const counts = await countByKeyId();
    if (batch.moved > 0 || batch.undecryptable > 0 || !input.cursor) {
      await writeAudit({
        actor,
        action: "masterkey.rewrap",
        targetType: "master_key",
        targetId: currentMasterKeyId(),
        details: {
          moved: batch.moved,
          undecryptable: batch.undecryptable,
          skippedConcurrent: batch.skippedConcurrent,
          countsAfter: counts,
          finished: batch.next === null,
        },
      });
    }
    return {
      moved: batch.moved,
      undecryptable: batch.undecryptable,
      skippedConcurrent: batch.skippedConcurrent,
      cursor: batch.next ? JSON.stringify(batch.next) : null,
      counts,
      currentKeyId: currentMasterKeyId(),
    };
  },
} satisfies ActionSpec<typeof rewrapBatchSchema, RewrapProgress>;
