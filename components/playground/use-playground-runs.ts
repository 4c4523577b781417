"use client";

import { useCallback, useRef, useState } from "react";
import { readNdjson } from "@/components/playground/read-ndjson";
import type { PlaygroundEvent } from "@/lib/playground/stream-call";

export type Target = { id: number; providerId: string; modelId: string; keyId: string };
export type RunState = {
  status: "streaming" | "done" | "failed";
  answer: string;
  outcome?: Extract<PlaygroundEvent, { type: "done" }>["outcome"];
  message?: string;
};

/** Sends one prompt to every target at once, each over its own streamed POST /api/playground. */
export function usePlaygroundRuns() {
  const [runs, setRuns] = useState<Record<number, RunState>>({});
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const update = (id: number, change: (run: RunState) => RunState) =>
    setRuns((all) => ({ ...all, [id]: change(all[id] ?? { status: "streaming", answer: "" }) }));

  const runOne = useCallback(async (target: Target, prompt: string, maxOutputTokens: number, signal: AbortSignal) => {
    update(target.id, () => ({ status: "streaming", answer: "" }));
    try {
      const response = await fetch("/api/playground", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          providerId: target.providerId,
          modelId: target.modelId,
          keyId: target.keyId || undefined,
          prompt,
          maxOutputTokens,
        }),
        signal,
      });
      if (!response.ok || !response.body) {
        const problem = (await response.json().catch(() => null)) as {
          message?: string;
          fieldErrors?: Record<string, string[]>;
        } | null;
        const detail = problem?.fieldErrors ? Object.values(problem.fieldErrors).flat().join(" ") : "";
        update(target.id, (run) => ({
          ...run,
          status: "failed",
          message: `${problem?.message ?? `HTTP ${response.status}`} ${detail}`.trim(),
        }));
        return;
      }
      await readNdjson<PlaygroundEvent>(response.body, (event) => {
        if (event.type === "token") update(target.id, (run) => ({ ...run, answer: run.answer + event.text }));
        else
          update(target.id, (run) => ({
            ...run,
            status: event.outcome.ok ? "done" : "failed",
            outcome: event.outcome,
            message: event.outcome.ok ? undefined : event.outcome.message,
          }));
      });
    } catch (error) {
      const stopped = error instanceof DOMException && error.name === "AbortError";
      update(target.id, (run) => ({
        ...run,
        status: "failed",
        message: stopped ? "Stopped." : "The connection to the console was lost.",
      }));
    }
  }, []);

  const send = useCallback(
    async (targets: Target[], prompt: string, maxOutputTokens: number) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setRuns({});
      setBusy(true);
      await Promise.all(targets.map((target) => runOne(target, prompt, maxOutputTokens, current.signal)));
      if (controller.current === current) setBusy(false);
    },
    [runOne],
  );

  const stop = useCallback(() => {
    controller.current?.abort();
    setBusy(false);
  }, []);

  return { runs, busy, send, stop };
}
