import { Badge } from "@/components/ui/card";
import type { TestRunResultDto } from "@/lib/health-checks/queries";
import { formatCost } from "@/lib/calls/outcome";

const STATUS_TONE = { PENDING: "slate", RUNNING: "indigo", OK: "green", ERROR: "red" } as const;
const ms = (value: number | null) => (value === null ? "—" : `${value.toLocaleString("en-US")} ms`);

/** One row per provider of a run: status, latency, TTFT, tokens, cost and error class. */
export function RunSummaryTable({ results }: { results: TestRunResultDto[] }) {
  if (results.length === 0) return <p className="text-sm text-slate-600">No enabled providers to test.</p>;
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="run-summary">
        <caption className="sr-only">Test results per provider</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2">
              Provider
            </th>
            <th scope="col" className="px-3 py-2">
              Model
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Latency
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              TTFT
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Tokens in / out
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Cost
            </th>
            <th scope="col" className="px-5 py-2">
              Error
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {results.map((row) => (
            <tr key={row.id} data-testid="run-result" className="align-top">
              <td className="px-5 py-2 font-medium text-slate-900">{row.providerName}</td>
              <td className="px-3 py-2">
                <code className="text-xs">{row.modelName ?? "—"}</code>
              </td>
              <td className="px-3 py-2">
                <Badge tone={STATUS_TONE[row.status]}>{row.status.toLowerCase()}</Badge>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{ms(row.latencyMs)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{ms(row.ttftMs)}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {row.inputTokens === null ? "—" : `${row.inputTokens} / ${row.outputTokens ?? 0}`}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {row.status === "OK" || row.inputTokens !== null ? formatCost(row.cost) : "—"}
              </td>
              <td className="px-5 py-2">
                {row.errorClass ? <code className="text-xs text-red-700">{row.errorClass}</code> : null}
                {row.message ? <span className="block max-w-80 text-xs text-slate-500">{row.message}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
