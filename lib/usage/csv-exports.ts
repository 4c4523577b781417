import "server-only";
import { csvCell, csvLine } from "@/lib/usage/csv";
import { loadCatalogLabels, type CatalogLabels } from "@/lib/usage/catalog-labels";
import { buildSpendReport } from "@/lib/usage/spend-report";
import { queryUsageLog, type UsageLogRow } from "@/lib/usage/usage-log";
import type { SpendParams } from "@/lib/usage/spend-params";
import type { UsageLogFilters } from "@/lib/usage/usage-filters";
import type { Cursor } from "@/lib/usage/cursor";
import { decodeCursor } from "@/lib/usage/cursor";

// CSV exports. The chart export is the spend report's cells (the numbers the chart and table
// show); the raw export streams records page by page with the usage log's keyset cursor, so a
// large range never sits in memory. Unpriced amounts are empty cells with a count, never 0;
// estimated_requests counts those whose tokens a tokenizer counted (priced, but an estimate).

export async function spendCsv(params: SpendParams): Promise<string> {
  const report = await buildSpendReport(params);
  let out = csvLine([
    "period_start",
    "series",
    "series_id",
    "cost_usd",
    "requests",
    "unpriced_requests",
    "estimated_requests",
  ]);
  for (const period of report.periods) {
    for (const series of report.series) {
      const cell = report.cells[period]?.[series.id];
      if (!cell) continue;
      const cost = cell.unpriced === cell.requests ? "" : cell.cost;
      out += csvLine([
        csvCell(period),
        csvCell(series.label),
        csvCell(series.id),
        csvCell(cost, "number"),
        csvCell(cell.requests, "number"),
        csvCell(cell.unpriced, "number"),
        csvCell(cell.estimated, "number"),
      ]);
    }
  }
  return out;
}

const RAW_HEADER = [
  "id",
  "occurred_at",
  "source",
  "provider",
  "model",
  "key",
  "tag",
  "input_tokens",
  "cached_input_tokens",
  "output_tokens",
  "latency_ms",
  "ttft_ms",
  "status",
  "error_class",
  "http_status",
  "cost_usd",
  "priced",
  "client_record_id",
  "gateway_key",
  "gateway_key_last4",
  "team",
  "estimated",
];

// A deleted gateway key keeps its id in the records: named "deleted gateway key …", no last 4.
function gatewayCells(
  row: UsageLogRow,
  labels: CatalogLabels,
  gatewayKeys: Map<string, { name: string; last4: string }>,
): string[] {
  const key = row.gateway_key_id ? gatewayKeys.get(row.gateway_key_id) : undefined;
  return [
    csvCell(row.gateway_key_id ? (key?.name ?? labels.label("gatewayKey", row.gateway_key_id)) : ""),
    csvCell(key?.last4 ?? ""),
    csvCell(row.team_id ? labels.label("team", row.team_id) : ""),
  ];
}

export function rawRecordsCsvStream(filters: UsageLogFilters, pageSize = 5000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: Cursor | null = null;
  let labels: Awaited<ReturnType<typeof loadCatalogLabels>> | null = null;
  // Name and last 4 only (what catalog-labels reads): no key material can reach the export.
  let gatewayKeys = new Map<string, { name: string; last4: string }>();
  let finished = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      labels = await loadCatalogLabels();
      gatewayKeys = new Map(labels.gatewayKeys.map((key) => [key.id, key]));
      controller.enqueue(encoder.encode(csvLine(RAW_HEADER)));
    },
    // Pulled as the client reads: back-pressure keeps one page in memory at a time.
    async pull(controller) {
      if (finished || !labels) return;
      const page = await queryUsageLog(filters, cursor, pageSize);
      let chunk = "";
      for (const row of page.rows) {
        chunk += csvLine([
          csvCell(row.id, "number"),
          csvCell(row.occurred_at.toISOString()),
          csvCell(row.source),
          csvCell(labels.label("provider", row.provider_id)),
          csvCell(labels.label("model", row.model_id)),
          csvCell(row.key_id ? labels.label("key", row.key_id) : ""),
          csvCell(row.tag),
          csvCell(row.input_tokens, "number"),
          csvCell(row.cached_input_tokens, "number"),
          csvCell(row.output_tokens, "number"),
          csvCell(row.latency_ms, "number"),
          csvCell(row.ttft_ms, "number"),
          csvCell(row.status),
          csvCell(row.error_class),
          csvCell(row.http_status, "number"),
          csvCell(row.priced ? row.cost : "", "number"),
          csvCell(row.priced ? "yes" : "unpriced"),
          csvCell(row.client_record_id),
          ...gatewayCells(row, labels, gatewayKeys),
          csvCell(row.estimated ? "yes" : "no"),
        ]);
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      cursor = page.nextCursor ? decodeCursor(page.nextCursor) : null;
      if (!cursor) {
        finished = true;
        controller.close();
      }
    },
  });
}
