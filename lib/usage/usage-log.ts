import "server-only";
import { pool } from "@/lib/db/client";
import { encodeCursor, type Cursor } from "@/lib/usage/cursor";
import { filterSql, type UsageFilters } from "@/lib/usage/usage-filters";

// Raw usage records, newest first, with keyset pagination on (occurred_at, id): every page is an
// index range scan from the cursor, so page 10,000 costs what page 1 costs (no OFFSET).

export const USAGE_LOG_COLUMNS = `id::text AS id, occurred_at, source::text AS source, provider_id::text AS provider_id,
  model_id::text AS model_id, key_id::text AS key_id, tag, input_tokens, cached_input_tokens, output_tokens,
  latency_ms, ttft_ms, status::text AS status, error_class, http_status, cost::text AS cost, priced, client_record_id`;

export type UsageLogRow = {
  id: string;
  occurred_at: Date;
  source: string;
  provider_id: string;
  model_id: string | null;
  key_id: string | null;
  tag: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  ttft_ms: number | null;
  status: string;
  error_class: string | null;
  http_status: number | null;
  cost: string | null;
  priced: boolean;
  client_record_id: string | null;
};

export type UsageLogPage = { rows: UsageLogRow[]; nextCursor: string | null };

export async function queryUsageLog(filters: UsageFilters & { status?: "OK" | "ERROR" | null }, cursor: Cursor | null, pageSize = 50): Promise<UsageLogPage> {
  const { where, params } = filterSql(filters, "occurred_at", true);
  const clauses = [where];
  if (filters.status) {
    params.push(filters.status);
    clauses.push(`status = $${params.length}::"UsageStatus"`);
  }
  if (cursor) {
    params.push(cursor.at, cursor.id);
    clauses.push(`(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::int8)`);
  }
  params.push(pageSize + 1);
  const { rows } = await pool.query<UsageLogRow>(
    `SELECT ${USAGE_LOG_COLUMNS} FROM usage_records WHERE ${clauses.join(" AND ")}
     ORDER BY usage_records.occurred_at DESC, usage_records.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > pageSize && last ? encodeCursor({ at: last.occurred_at.toISOString(), id: last.id }) : null };
}
