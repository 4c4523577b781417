import "server-only";
import { pool } from "@/lib/db/client";

// One gateway request as the request detail page shows it: its usage record (client_record_id is
// the gateway's request id) and every provider attempt it made, in order. Names are joined at
// read time; the ledger has no foreign keys, so a deleted provider or model reads as null.
// Requests through a route or with more than one attempt have their attempts stored; a direct
// call's single attempt is read from its record.

export type RequestRecord = {
  requestId: string;
  occurredAt: Date;
  providerName: string | null;
  modelName: string | null;
  routeName: string | null;
  gatewayKeyName: string | null;
  gatewayKeyLast4: string | null;
  teamName: string | null;
  tag: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  status: string;
  errorClass: string | null;
  httpStatus: number | null;
  /** Exact decimal text; null when unpriced. */
  cost: string | null;
  /** The provider key used, if a provider was called, and its last 4 (for a direct call's one attempt). */
  keyId: string | null;
  keyLast4: string | null;
  priced: boolean;
  estimated: boolean;
  cached: boolean;
  savedCost: string | null;
};

export type RequestAttempt = {
  attempt: number;
  providerName: string | null;
  modelName: string | null;
  keyLast4: string | null;
  httpStatus: number | null;
  errorClass: string | null;
  latencyMs: number;
  startedAt: Date;
};

export type RequestDetail = { record: RequestRecord; attempts: RequestAttempt[] };

const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

export async function getRequestDetail(requestId: string): Promise<RequestDetail | null> {
  if (!REQUEST_ID.test(requestId)) return null;
  const records = await pool.query<RequestRecord>(
    `SELECT u.client_record_id AS "requestId", u.occurred_at AS "occurredAt", p.name AS "providerName",
            m.model_id AS "modelName", r.name AS "routeName", g.name AS "gatewayKeyName", g.last4 AS "gatewayKeyLast4",
            t.name AS "teamName", u.tag, u.input_tokens AS "inputTokens", u.cached_input_tokens AS "cachedInputTokens",
            u.output_tokens AS "outputTokens", u.latency_ms AS "latencyMs", u.ttft_ms AS "ttftMs",
            u.status::text AS status, u.error_class AS "errorClass", u.http_status AS "httpStatus",
            u.cost::text AS cost, u.priced, u.estimated, u.cached, u.saved_cost::text AS "savedCost",
            u.key_id::text AS "keyId", k.last4 AS "keyLast4"
       FROM usage_records u
       LEFT JOIN providers p ON p.id = u.provider_id
       LEFT JOIN models m ON m.id = u.model_id
       LEFT JOIN routes r ON r.id = u.route_id
       LEFT JOIN gateway_keys g ON g.id = u.gateway_key_id
       LEFT JOIN teams t ON t.id = u.team_id
       LEFT JOIN provider_keys k ON k.id = u.key_id
      WHERE u.source = 'GATEWAY' AND u.client_record_id = $1`,
    [requestId],
  );
  const record = records.rows[0];
  if (!record) return null;
  const attempts = await pool.query<RequestAttempt>(
    `SELECT a.attempt, p.name AS "providerName", m.model_id AS "modelName", a.key_last4 AS "keyLast4",
            a.http_status AS "httpStatus", a.error_class AS "errorClass", a.latency_ms AS "latencyMs",
            a.started_at AS "startedAt"
       FROM gateway_attempts a
       LEFT JOIN providers p ON p.id = a.provider_id
       LEFT JOIN models m ON m.id = a.model_id
      WHERE a.request_id = $1
      ORDER BY a.attempt, a.started_at, a.id`,
    [requestId],
  );
  // No provider key, no provider call (refused before it, or answered from the cache): no attempt.
  if (attempts.rows.length > 0 || record.cached || record.keyId === null) return { record, attempts: attempts.rows };
  // A direct call that needed one attempt keeps it as its record only (lib/gateway/usage-writer.ts).
  const only: RequestAttempt = {
    attempt: 1,
    providerName: record.providerName,
    modelName: record.modelName,
    keyLast4: record.keyLast4,
    httpStatus: record.httpStatus,
    errorClass: record.errorClass,
    latencyMs: record.latencyMs,
    startedAt: new Date(record.occurredAt.getTime() - record.latencyMs),
  };
  return { record, attempts: [only] };
}
