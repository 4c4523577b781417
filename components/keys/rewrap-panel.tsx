"use client";

import { useState, useTransition } from "react";
import { rewrapMasterKeyBatch } from "@/app/(console)/settings/actions";
import { buttonClass } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { KeyIdCounts } from "@/lib/crypto/rewrap";

type Progress = {
  batches: number;
  moved: number;
  undecryptable: number;
  skipped: number;
  counts: KeyIdCounts | null;
  currentKeyId: string | null;
};
const EMPTY: Progress = { batches: 0, moved: 0, undecryptable: 0, skipped: 0, counts: null, currentKeyId: null };

// Drives the rewrap one batch per server action call, so progress is visible and closing the
// tab only stops between batches (running it again resumes: finished rows are skipped).
export function RewrapPanel() {
  const [pending, startTransition] = useTransition();
  const [progress, setProgress] = useState<Progress>(EMPTY);
  const [outcome, setOutcome] = useState<{ ok: boolean; message?: string } | undefined>();

  const run = () =>
    startTransition(async () => {
      setOutcome(undefined);
      let state = { ...EMPTY };
      let cursor: string | null = null;
      do {
        const result = await rewrapMasterKeyBatch(undefined, { cursor: cursor ?? undefined });
        if (!result.ok || !result.data) {
          setOutcome({ ok: false, message: result.message ?? "The re-encryption stopped." });
          return;
        }
        const batch = result.data;
        state = {
          batches: state.batches + 1,
          moved: state.moved + batch.moved,
          undecryptable: state.undecryptable + batch.undecryptable,
          skipped: state.skipped + batch.skippedConcurrent,
          counts: batch.counts,
          currentKeyId: batch.currentKeyId,
        };
        setProgress(state);
        cursor = batch.cursor;
      } while (cursor);
      setOutcome({
        ok: state.undecryptable === 0,
        message:
          state.undecryptable === 0
            ? `Done: ${state.moved} secret(s) re-encrypted with ${state.currentKeyId}.`
            : `Done with problems: ${state.undecryptable} secret(s) could not be decrypted and were left unchanged.`,
      });
    });

  return (
    <div className="space-y-4">
      <button type="button" className={buttonClass("primary")} onClick={run} disabled={pending}>
        {pending ? "Re-encrypting…" : "Re-encrypt with the current master key"}
      </button>
      {progress.batches > 0 ? (
        <div role="status" aria-live="polite" className="space-y-2 text-sm text-slate-700">
          <p>
            Batches: {progress.batches} · re-encrypted: <strong data-testid="rewrap-moved">{progress.moved}</strong> ·
            undecryptable: {progress.undecryptable}
            {progress.skipped ? ` · changed meanwhile (left as is): ${progress.skipped}` : ""}
          </p>
          {progress.counts ? (
            <ul className="list-inside list-disc">
              {Object.entries(progress.counts).map(([column, byKey]) => (
                <li key={column}>
                  <code className="font-mono">{column}</code>:{" "}
                  {Object.entries(byKey)
                    .map(([keyId, count]) => `${keyId} ${count}`)
                    .join(", ") || "none stored"}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <FormMessage state={outcome} />
    </div>
  );
}
