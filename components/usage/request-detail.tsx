import { Badge } from "@/components/ui/card";
import { formatRecordCost } from "@/lib/charts/currency";
import { formatMs } from "@/lib/charts/percentiles";
import type { RequestAttempt, RequestRecord } from "@/lib/usage/request-detail";

// The facts of one gateway request and its provider attempts (fallbacks and retries), in order.

const when = (at: Date) => `${at.toISOString().replace("T", " ").slice(0, 23)} UTC`;
const tokens = (n: number) => n.toLocaleString("en-US");

function costText(record: RequestRecord): string {
  if (record.cached)
    return `$0.00 (cache hit; saved ${record.savedCost === null ? "an unpriced amount" : formatRecordCost(record.savedCost)})`;
  return record.priced && record.cost !== null ? formatRecordCost(record.cost) : "unpriced";
}

export function RequestFacts({ record }: { record: RequestRecord }) {
  const facts: [string, string][] = [
    ["Time", when(record.occurredAt)],
    ["Route", record.routeName ?? "— (a model name)"],
    ["Answered by", `${record.providerName ?? "deleted provider"} / ${record.modelName ?? "—"}`],
    [
      "Gateway key",
      record.gatewayKeyName ? `${record.gatewayKeyName} …${record.gatewayKeyLast4 ?? ""}` : "deleted or none",
    ],
    ["Team", record.teamName ?? "—"],
    ["Tag", record.tag || "—"],
    [
      "Status",
      record.status === "OK"
        ? "ok"
        : `${record.status.toLowerCase()}${record.errorClass ? ` (${record.errorClass})` : ""}${record.httpStatus ? ` ${record.httpStatus}` : ""}`,
    ],
    [
      "Tokens in / cached / out",
      `${tokens(record.inputTokens)} / ${tokens(record.cachedInputTokens)} / ${tokens(record.outputTokens)}${record.estimated ? " (estimated by tokenizer)" : ""}`,
    ],
    ["Latency (TTFT)", `${formatMs(record.latencyMs)}${record.ttftMs === null ? "" : ` (${formatMs(record.ttftMs)})`}`],
    ["Cost", costText(record)],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="request-facts">
      {facts.map(([term, value]) => (
        <div key={term} className="flex gap-2">
          <dt className="w-44 shrink-0 text-slate-500">{term}</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RequestAttemptsTable({ attempts }: { attempts: RequestAttempt[] }) {
  if (attempts.length === 0)
    return (
      <p className="text-sm text-slate-600">No provider attempts were kept for this request (e.g. a cache hit).</p>
    );
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="request-attempts">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">#</th>
            <th className="pr-3">Started (UTC)</th>
            <th className="pr-3">Provider / model</th>
            <th className="pr-3">Key</th>
            <th className="pr-3">HTTP status</th>
            <th className="pr-3">Error class</th>
            <th className="text-right">Latency</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {attempts.map((attempt) => (
            <tr key={`${attempt.attempt}-${attempt.startedAt.toISOString()}`}>
              <td className="py-1.5 pr-3 tabular-nums">{attempt.attempt}</td>
              <td className="whitespace-nowrap pr-3 font-mono text-xs">{when(attempt.startedAt)}</td>
              <td className="pr-3">
                {attempt.providerName ?? "deleted provider"} / {attempt.modelName ?? "—"}
              </td>
              <td className="pr-3 font-mono text-xs">{attempt.keyLast4 ? `…${attempt.keyLast4}` : "—"}</td>
              <td className="pr-3 tabular-nums">{attempt.httpStatus ?? "—"}</td>
              <td className="pr-3">
                {attempt.errorClass ? <Badge tone="red">{attempt.errorClass}</Badge> : <Badge tone="green">ok</Badge>}
              </td>
              <td className="text-right tabular-nums">{formatMs(attempt.latencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
