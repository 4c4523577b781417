import { Badge } from "@/components/ui/card";
import type { RunState } from "@/components/playground/use-playground-runs";
import { formatCost } from "@/lib/calls/outcome";

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? "—" : `${value.toLocaleString("en-US")} ms`;

/** One model's streamed answer and its measurements. */
export function ResultColumn({ title, run }: { title: string; run: RunState | undefined }) {
  const outcome = run?.outcome;
  return (
    <section
      data-testid="playground-result"
      aria-label={`Answer from ${title}`}
      aria-busy={run?.status === "streaming"}
      className="flex min-h-48 flex-col rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <header className="mb-2 flex items-center justify-between gap-2">
        <h3 className="truncate text-sm font-semibold text-slate-800">{title}</h3>
        {run ? (
          <Badge tone={run.status === "done" ? "green" : run.status === "failed" ? "red" : "indigo"}>
            {run.status === "failed" ? (outcome?.errorClass ?? "failed") : run.status}
          </Badge>
        ) : null}
      </header>
      <div data-testid="playground-answer" className="flex-1 whitespace-pre-wrap break-words text-sm text-slate-900">
        {run?.answer || (
          <span className="text-slate-400">
            {run?.status === "streaming" ? "Waiting for the first token…" : "No answer yet."}
          </span>
        )}
      </div>
      {run?.message ? (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {run.message}
        </p>
      ) : null}
      {outcome?.attempted ? (
        <dl
          className="mt-3 grid grid-cols-2 gap-x-3 gap-y-0.5 border-t border-slate-100 pt-2 text-xs text-slate-600"
          data-testid="playground-metrics"
        >
          <dt>Total</dt>
          <dd className="text-right tabular-nums">{ms(outcome.latencyMs)}</dd>
          <dt>First token</dt>
          <dd className="text-right tabular-nums">{ms(outcome.ttftMs)}</dd>
          <dt>Tokens in / out</dt>
          <dd className="text-right tabular-nums">
            {outcome.inputTokens} / {outcome.outputTokens}
          </dd>
          <dt>Cost</dt>
          <dd className="text-right tabular-nums">{formatCost(outcome.cost)}</dd>
        </dl>
      ) : null}
    </section>
  );
}
