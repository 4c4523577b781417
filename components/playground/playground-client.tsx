"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { ResultColumn } from "@/components/playground/result-column";
import { TargetPicker } from "@/components/playground/target-picker";
import { usePlaygroundRuns, type Target } from "@/components/playground/use-playground-runs";
import type { PlaygroundProvider } from "@/lib/playground/catalog";
import { PLAYGROUND_MAX_OUTPUT_TOKENS, PLAYGROUND_MAX_PROMPT } from "@/lib/test-calls/schemas";

const MAX_TARGETS = 4;
const control =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 disabled:bg-slate-100";

/**
 * Pick up to four provider/model/key combinations, type one prompt, and watch the answers
 * stream side by side with latency, first-token time, tokens and cost. `canSend` is false for
 * FINANCE and VIEWER: they see the page, but every call costs money, so only admins send.
 */
export function PlaygroundClient({ providers, canSend }: { providers: PlaygroundProvider[]; canSend: boolean }) {
  const first = providers[0];
  const [nextId, setNextId] = useState(2);
  const [targets, setTargets] = useState<Target[]>(
    first ? [{ id: 1, providerId: first.id, modelId: first.models[0]?.id ?? "", keyId: "" }] : [],
  );
  const [prompt, setPrompt] = useState("");
  const [maxOutputTokens, setMaxOutputTokens] = useState(256);
  const { runs, busy, send, stop } = usePlaygroundRuns();

  if (!first)
    return (
      <p className="text-sm text-slate-600">
        No enabled provider has a chat model yet. Add a provider, a key and a model first.
      </p>
    );

  const titleOf = (target: Target) => {
    const provider = providers.find((p) => p.id === target.providerId);
    const model = provider?.models.find((m) => m.id === target.modelId);
    return `${provider?.name ?? "?"} · ${model?.modelId ?? "?"}`;
  };
  const addTarget = () => {
    setTargets((all) => [...all, { id: nextId, providerId: first.id, modelId: first.models[0]?.id ?? "", keyId: "" }]);
    setNextId((id) => id + 1);
  };
  const disabled = !canSend || busy;

  return (
    <div className="space-y-6">
      <form
        className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
        onSubmit={(event) => {
          event.preventDefault();
          if (canSend && prompt.trim()) void send(targets, prompt, maxOutputTokens);
        }}
      >
        {targets.map((target, index) => (
          <TargetPicker
            key={target.id}
            index={index}
            target={target}
            providers={providers}
            disabled={disabled}
            onChange={(next) => setTargets((all) => all.map((t) => (t.id === target.id ? next : t)))}
            onRemove={targets.length > 1 ? () => setTargets((all) => all.filter((t) => t.id !== target.id)) : undefined}
          />
        ))}
        {targets.length < MAX_TARGETS ? (
          <button type="button" onClick={addTarget} disabled={disabled} className={buttonClass("secondary")}>
            Add a model to compare
          </button>
        ) : null}
        <label className="block text-sm font-medium text-slate-700">
          Prompt
          <textarea
            className={`${control} mt-1`}
            rows={5}
            value={prompt}
            maxLength={PLAYGROUND_MAX_PROMPT}
            disabled={!canSend}
            onChange={(event) => setPrompt(event.target.value)}
            placeholder={canSend ? "Ask something…" : "Only admins can send prompts."}
          />
        </label>
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm font-medium text-slate-700">
            Max output tokens
            <input
              type="number"
              className={`${control} mt-1 w-32`}
              min={1}
              max={PLAYGROUND_MAX_OUTPUT_TOKENS}
              value={maxOutputTokens}
              disabled={!canSend}
              onChange={(event) =>
                setMaxOutputTokens(Math.max(1, Math.min(PLAYGROUND_MAX_OUTPUT_TOKENS, Number(event.target.value) || 1)))
              }
            />
          </label>
          <button type="submit" className={buttonClass("primary")} disabled={disabled || !prompt.trim()}>
            {busy ? "Streaming…" : targets.length > 1 ? `Send to ${targets.length} models` : "Send"}
          </button>
          {busy ? (
            <button type="button" onClick={stop} className={buttonClass("secondary")}>
              Stop
            </button>
          ) : null}
        </div>
      </form>
      <div
        className={`grid gap-4 ${targets.length > 1 ? "md:grid-cols-2" : ""} ${targets.length > 2 ? "xl:grid-cols-4" : ""}`}
      >
        {targets.map((target) => (
          <ResultColumn key={target.id} title={titleOf(target)} run={runs[target.id]} />
        ))}
      </div>
    </div>
  );
}
