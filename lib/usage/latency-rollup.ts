import "server-only";
import type { PoolClient } from "pg";
import {
  buildLatencyDeltas,
  latencyKey,
  mergeLatencyRow,
  type LatencyDelta,
  type LatencySource,
} from "@/lib/usage/latency-deltas";

// Adds a batch's latency deltas to usage_latency_hourly/_daily inside the ingest transaction, in
// two statements for both tables: (1) insert the missing rows and lock + read the existing ones
// (ON CONFLICT DO UPDATE locks the row and RETURNING gives its current value), (2) write the
// merged histograms computed in JS. Histogram merging in PL/pgSQL was the old bottleneck.

const TABLES = { hour: "usage_latency_hourly", day: "usage_latency_daily" } as const;

function lockSql(table: string, granularity: string, first: number): string {
  return `INSERT INTO ${table} AS r (bucket, provider_id, model_id, latency_hist, ttft_hist)
  SELECT k.b, k.p, k.m, ''::bytea, ''::bytea
  FROM unnest($${first}::timestamptz[], $${first + 1}::uuid[], $${first + 2}::uuid[]) AS k(b, p, m)
  ORDER BY 1, 2, 3
  ON CONFLICT (bucket, provider_id, model_id) DO UPDATE SET requests = r.requests
  RETURNING '${granularity}'::text AS g, to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS bucket,
    provider_id::text AS provider_id, model_id::text AS model_id, requests::text AS requests, errors::text AS errors,
    errors_by_class, latency_hist, ttft_hist`;
}

const LOCK_SQL = `WITH h AS (${lockSql(TABLES.hour, "hour", 1)}), d AS (${lockSql(TABLES.day, "day", 4)})
SELECT * FROM h UNION ALL SELECT * FROM d`;

function updateSql(table: string, first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `UPDATE ${table} r SET requests = u.requests, errors = u.errors, errors_by_class = u.by_class, latency_hist = u.lh, ttft_hist = u.th
  FROM unnest(${p(0)}::timestamptz[], ${p(1)}::uuid[], ${p(2)}::uuid[], ${p(3)}::int8[], ${p(4)}::int8[], ${p(5)}::jsonb[], ${p(6)}::bytea[], ${p(7)}::bytea[])
    AS u(bucket, provider_id, model_id, requests, errors, by_class, lh, th)
  WHERE r.bucket = u.bucket AND r.provider_id = u.provider_id AND r.model_id = u.model_id
  RETURNING 1`;
}

const UPDATE_SQL = `WITH h AS (${updateSql(TABLES.hour, 1)}), d AS (${updateSql(TABLES.day, 9)})
SELECT (SELECT count(*) FROM h)::int + (SELECT count(*) FROM d)::int AS n`;

type LockedRow = {
  g: "hour" | "day";
  bucket: string;
  provider_id: string;
  model_id: string;
  requests: string;
  errors: string;
  errors_by_class: Record<string, number>;
  latency_hist: Buffer | null;
  ttft_hist: Buffer | null;
};

const keyColumns = (deltas: LatencyDelta[]) => [
  deltas.map((d) => d.bucket),
  deltas.map((d) => d.providerId),
  deltas.map((d) => d.modelId),
];

export async function addLatencyRollups(client: PoolClient, records: readonly LatencySource[]): Promise<void> {
  if (records.length === 0) return;
  const deltas = buildLatencyDeltas(records);
  const { rows } = await client.query<LockedRow>({
    name: "usage-latency-lock",
    text: LOCK_SQL,
    values: [...keyColumns(deltas.hour), ...keyColumns(deltas.day)],
  });
  const stored = new Map(rows.map((row) => [`${row.g}|${latencyKey(row.bucket, row.provider_id, row.model_id)}`, row]));

  const params: unknown[] = [];
  for (const granularity of ["hour", "day"] as const) {
    const merged = deltas[granularity].map((delta) => {
      const row = stored.get(`${granularity}|${latencyKey(delta.bucket, delta.providerId, delta.modelId)}`);
      if (!row)
        throw new Error(`latency rollup row ${delta.bucket} ${delta.providerId} ${delta.modelId} was not locked`);
      const next = mergeLatencyRow(
        {
          requests: Number(row.requests),
          errors: Number(row.errors),
          errorsByClass: row.errors_by_class,
          latencyHist: row.latency_hist,
          ttftHist: row.ttft_hist,
        },
        delta,
      );
      return { delta, next };
    });
    params.push(
      ...keyColumns(merged.map(({ delta }) => delta)),
      merged.map(({ next }) => next.requests),
      merged.map(({ next }) => next.errors),
      merged.map(({ next }) => JSON.stringify(next.errorsByClass)),
      merged.map(({ next }) => next.latencyHist),
      merged.map(({ next }) => next.ttftHist),
    );
  }
  await client.query({ name: "usage-latency-update", text: UPDATE_SQL, values: params });
}
