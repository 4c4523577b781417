import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Badge, Card } from "@/components/ui/card";
import { formatRecordCost } from "@/lib/charts/currency";
import { formatMs } from "@/lib/charts/percentiles";
import { loadCatalogLabels } from "@/lib/usage/catalog-labels";
import { queryUsageLog, type UsageLogRow } from "@/lib/usage/usage-log";
import { usageLogFilters, usageLogSearch, type UsageLogParams } from "@/lib/usage/usage-log-params";

// One page of raw records. Cost is shown to the cent-fraction it was stored with; a record with no
// price in force is labelled "unpriced", never $0. Gateway records name their gateway key (name +
// last 4) and team, looked up now; token counts a tokenizer made are marked "estimated".

const PAGE_SIZE = 50;
const when = (at: Date) => at.toISOString().replace("T", " ").slice(0, 19);
const tokens = (n: number) => n.toLocaleString("en-US");
const ESTIMATED_TITLE = "Estimated: the provider reported no usage, so the gateway's tokenizer counted these tokens.";
const CANCELLED_TITLE = "Cancelled: the caller disconnected mid-stream.";

function StatusBadge({ row }: { row: UsageLogRow }) {
  if (row.status === "OK") return <Badge tone="green">ok</Badge>;
  if (row.status === "CANCELLED")
    return (
      <span title={CANCELLED_TITLE}>
        <Badge tone="amber">cancelled</Badge>
        <span className="sr-only">: the caller disconnected mid-stream</span>
      </span>
    );
  return (
    <Badge tone="red">
      {row.error_class ?? "error"}
      {row.http_status ? ` ${row.http_status}` : ""}
    </Badge>
  );
}

export async function UsageLogTable({ params }: { params: UsageLogParams }) {
  await requirePageActor("usage:read");
  const [page, labels] = await Promise.all([
    queryUsageLog(usageLogFilters(params), params.cursor?.at ?? null, PAGE_SIZE, params.cursor?.direction ?? "older"),
    loadCatalogLabels(),
  ]);
  const newer = page.newerCursor
    ? `/usage?${usageLogSearch(params, { direction: "newer", value: page.newerCursor })}`
    : null;
  const older = page.nextCursor
    ? `/usage?${usageLogSearch(params, { direction: "older", value: page.nextCursor })}`
    : null;
  const pager = (
    <nav aria-label="Pages" className="flex gap-3 text-sm">
      {newer ? (
        <Link href={newer} className="text-indigo-700 hover:underline">
          ← Newer
        </Link>
      ) : (
        <span className="text-slate-400">← Newer</span>
      )}
      {older ? (
        <Link href={older} className="text-indigo-700 hover:underline">
          Older →
        </Link>
      ) : (
        <span className="text-slate-400">Older →</span>
      )}
    </nav>
  );
  return (
    <Card title={`Records, newest first (UTC), ${params.from} to ${params.to}`} actions={pager}>
      {page.rows.length === 0 ? (
        <p className="text-sm text-slate-600">No records match these filters.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="usage-log">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">Time</th>
                <th className="pr-3">Source</th>
                <th className="pr-3">Provider / model</th>
                <th className="pr-3">Gateway key / team</th>
                <th className="pr-3">Tag</th>
                <th className="pr-3 text-right">Tokens in / cached / out</th>
                <th className="pr-3 text-right">Latency (TTFT)</th>
                <th className="pr-3">Status</th>
                <th className="text-right">Cost</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((row) => (
                <tr key={row.id} data-record-id={row.client_record_id ?? row.id}>
                  <td className="whitespace-nowrap py-1.5 pr-3 font-mono text-xs">
                    {row.source === "GATEWAY" && row.client_record_id ? (
                      <Link
                        href={`/usage/requests/${encodeURIComponent(row.client_record_id)}`}
                        className="text-indigo-700 hover:underline"
                        title="Request detail: the attempts this gateway request made"
                      >
                        {when(row.occurred_at)}
                      </Link>
                    ) : (
                      when(row.occurred_at)
                    )}
                  </td>
                  <td className="pr-3 text-xs lowercase text-slate-600">{row.source}</td>
                  <td className="pr-3">
                    {labels.label("model", row.model_id) === "(none)"
                      ? labels.label("provider", row.provider_id)
                      : labels.label("model", row.model_id)}
                  </td>
                  <td className="pr-3 text-slate-600">
                    {row.gateway_key_id || row.team_id ? (
                      <>
                        {row.gateway_key_id ? labels.label("gatewayKey", row.gateway_key_id) : "—"}
                        <span className="block text-xs text-slate-500">{labels.label("team", row.team_id)}</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="pr-3 text-slate-600">{row.tag || "—"}</td>
                  <td className="whitespace-nowrap pr-3 text-right tabular-nums">
                    {tokens(row.input_tokens)} / {tokens(row.cached_input_tokens)} / {tokens(row.output_tokens)}
                    {row.estimated ? (
                      <span className="ml-1" title={ESTIMATED_TITLE}>
                        <Badge tone="amber">estimated</Badge>
                        <span className="sr-only">: counted by the tokenizer, the provider reported no usage</span>
                      </span>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap pr-3 text-right tabular-nums">
                    {formatMs(row.latency_ms)}{" "}
                    {row.ttft_ms === null ? null : <span className="text-slate-500">({formatMs(row.ttft_ms)})</span>}
                  </td>
                  <td className="pr-3">
                    <StatusBadge row={row} />
                  </td>
                  <td className="whitespace-nowrap text-right tabular-nums">
                    {row.priced && row.cost !== null ? (
                      formatRecordCost(row.cost)
                    ) : (
                      <Badge tone="amber">unpriced</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="mt-4 flex justify-end">{pager}</div>
        </div>
      )}
    </Card>
  );
}
