import "server-only";
import { pool } from "@/lib/db/client";
import { encodeCursor, type Cursor } from "@/lib/usage/cursor";
import { filterSql, type UsageLogFilters } from "@/lib/usage/usage-filters";

// Raw usage records, newest first, with keyset pagination on (occurred_at, id): every page is an
// index range scan from the cursor, so page 10,000 costs what page 1 costs (no OFFSET). "Newer"
// pages scan the same index forward from the cursor and are reversed for display. Gateway records
// carry their gateway key and team as ids only: names (key name + last 4) are looked up when read
// (catalog-labels.ts), and no key material is ever selected.

export const USAGE_LOG_COLUMNS = `id::text AS id, occurred_at, source::text AS source, provider_id::text AS provider_id,
  model_id::text AS model_id, key_id::text AS key_id, tag, input_tokens, cached_input_tokens, output_tokens,
  latency_ms, ttft_ms, status::text AS status, error_class, http_status, cost::text AS cost, priced, client_record_id,
  gateway_key_id::text AS gateway_key_id, team_id::text AS team_id, estimated`;

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
  gateway_key_id: string | null;
  team_id: string | null;
  /** Token counts from the tokenizer: the provider reported no usage. */
  estimated: boolean;
};

export type UsageLogPage = {
  rows: UsageLogRow[];
  /** Cursor for the next older page (also what the CSV export follows); null at the oldest. */
  nextCursor: string | null;
  /** Cursor for the next newer page; null when this page starts at the newest row. */
  newerCursor: string | null;
};

const cursorOf = (row: UsageLogRow | undefined) =>
  row ? encodeCursor({ at: row.occurred_at.toISOString(), id: row.id }) : null;

export async function queryUsageLog(
  filters: UsageLogFilters,
  cursor: Cursor | null,
  pageSize = 50,
  direction: "older" | "newer" = "older",
): Promise<UsageLogPage> {
  const { where, params } = filterSql(filters, "occurred_at", true);
  const clauses = [where];
  if (filters.status) clauses.push(`status = $${params.push(filters.status)}::"UsageStatus"`);
  if (filters.source) clauses.push(`source = $${params.push(filters.source)}::"UsageSource"`);
  const newer = direction === "newer" && cursor !== null;
  if (cursor) {
    params.push(cursor.at, cursor.id);
    clauses.push(
      `(occurred_at, id) ${newer ? ">" : "<"} ($${params.length - 1}::timestamptz, $${params.length}::int8)`,
    );
  }
  const order = newer ? "ASC" : "DESC";
  const { rows } = await pool.query<UsageLogRow>(
    `SELECT ${USAGE_LOG_COLUMNS} FROM usage_records WHERE ${clauses.join(" AND ")}
     ORDER BY usage_records.occurred_at ${order}, usage_records.id ${order} LIMIT $${params.push(pageSize + 1)}`,
    params,
  );
  const more = rows.length > pageSize;
  // Paging newer up to the newest rows: show the full newest page instead of a short one.
  if (newer && !more) return queryUsageLog(filters, null, pageSize);
  const page = rows.slice(0, pageSize);
  if (newer) page.reverse();
  return {
    rows: page,
    // Going newer, the cursor's own row is older than this page, so an older page exists.
    nextCursor: newer || more ? cursorOf(page.at(-1)) : null,
    newerCursor: newer || cursor ? cursorOf(page[0]) : null,
  };
}
