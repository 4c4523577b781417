import { Badge } from "@/components/ui/card";
import { formatCost, type CallOutcome } from "@/lib/calls/outcome";

const ms = (value: number | null) => (value === null ? "—" : `${value.toLocaleString("en-US")} ms`);

/** Status, latency, TTFT, tokens and cost of one console-made call, as a compact definition list. */
export function CallOutcomeView({ outcome }: { outcome: CallOutcome }) {
  return (
    <div
      data-testid="call-outcome"
      className="space-y-1 rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-700 ring-1 ring-slate-200"
    >
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone={outcome.ok ? "green" : "red"}>{outcome.ok ? "OK" : (outcome.errorClass ?? "error")}</Badge>
        {outcome.modelName ? <code>{outcome.modelName}</code> : null}
        {outcome.httpStatus ? <span>HTTP {outcome.httpStatus}</span> : null}
      </p>
      {outcome.attempted ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
          <dt className="text-slate-500">Total</dt>
          <dd data-testid="outcome-latency">{ms(outcome.latencyMs)}</dd>
          <dt className="text-slate-500">First token</dt>
          <dd data-testid="outcome-ttft">{ms(outcome.ttftMs)}</dd>
          <dt className="text-slate-500">Tokens</dt>
          <dd data-testid="outcome-tokens">
            {outcome.inputTokens} in / {outcome.outputTokens} out
          </dd>
          <dt className="text-slate-500">Cost</dt>
          <dd data-testid="outcome-cost">{formatCost(outcome.cost)}</dd>
        </dl>
      ) : null}
      {!outcome.ok ? (
        <p className="max-w-72 break-words text-red-700">{outcome.message}</p>
      ) : !outcome.attempted ? (
        <p className="max-w-72 break-words">{outcome.message}</p>
      ) : null}
      {/* Only ADMIN runs calls, so the provider's (redacted) words may be shown here. */}
      {!outcome.ok && outcome.detail ? (
        <p className="max-w-72 break-words text-slate-500">Provider said: {outcome.detail}</p>
      ) : null}
    </div>
  );
}
