import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { ALL_MODELS } from "@/lib/usage/buckets";
import { addEncoded, emptyHistogram, HIST_BOUNDS, bucketIndex } from "@/lib/usage/histogram";
import { createUsageFixture, reconcile, wireRecord, type UsageFixture } from "./ingest-support";

// The narrow latency rollups must agree with the raw rows exactly (counts, error classes, every
// histogram bucket), whatever the batching and concurrency; and the migrations that rebuilt
// them from usage_records must produce the same rows the ingest path writes.

let fixture: UsageFixture;
beforeAll(async () => {
  fixture = await createUsageFixture();
  let seed = 3;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const records = Array.from({ length: 1500 }, (_, i) => {
    const failed = i % 17 === 0;
    return wireRecord(fixture, {
      occurredAt: new Date(Date.UTC(2026, 10, 10 + (i % 3), i % 24, i % 60, i % 60)).toISOString(),
      model: i % 4 === 0 ? fixture.unpricedModel.modelId : fixture.pricedModel.modelId,
      latencyMs: Math.round(50 + 5000 * next() ** 3),
      ttftMs: i % 5 === 0 ? null : Math.round(20 + 900 * next() ** 2),
      status: failed ? "error" : "ok",
      errorClass: failed ? (i % 2 ? "timeout" : "rate_limit") : null,
    });
  });
  // Uneven batches, three at a time, with one batch replayed: duplicates must add nothing.
  const batches = [records.slice(0, 400), records.slice(400, 700), records.slice(700, 1500), records.slice(100, 300)];
  await Promise.all(batches.map((batch) => ingestBatch(batch, fixture.tokenId)));
}, 60_000);

type Row = {
  bucket: string;
  model_id: string;
  requests: string;
  errors: string;
  errors_by_class: Record<string, number>;
  latency_hist: Buffer;
  ttft_hist: Buffer;
};

const rollupRows = (table: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS bucket, model_id::text, requests::text, errors::text, errors_by_class, latency_hist, ttft_hist
     FROM ${table} WHERE provider_id = $1::uuid ORDER BY 1, 2`,
    fixture.providerId,
  );

const counts = (buffer: Buffer) => [...addEncoded(emptyHistogram(), buffer)];

describe("latency rollups", () => {
  it("hold the sums of the per-key/tag rollups exactly (raw = hourly = daily)", async () => {
    const totals = await reconcile(fixture.providerId);
    expect(totals.raw.requests).toBe(1500);
    expect(totals.hourly).toEqual(totals.raw);
    expect(totals.daily).toEqual(totals.raw);
  });

  it("count every request, error class and histogram bucket of the raw rows, per model and per provider", async () => {
    for (const [table, unit] of [
      ["usage_latency_daily", "day"],
      ["usage_latency_hourly", "hour"],
    ] as const) {
      const expected = await db.$queryRawUnsafe<
        {
          bucket: string;
          model_id: string;
          requests: string;
          errors: string;
          latency: number[];
          ttft: number[];
          classes: Record<string, number> | null;
        }[]
      >(
        `SELECT to_char(date_trunc('${unit}', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS bucket, m AS model_id,
           count(*)::text AS requests, count(*) FILTER (WHERE status = 'ERROR')::text AS errors,
           array_agg(latency_ms) AS latency, array_remove(array_agg(ttft_ms), NULL) AS ttft,
           jsonb_object_agg(coalesce(error_class, 'unknown'), 1) FILTER (WHERE status = 'ERROR') AS classes
         FROM usage_records, LATERAL (VALUES (model_id::text), ('${ALL_MODELS}')) AS v(m)
         WHERE provider_id = $1::uuid GROUP BY 1, 2 ORDER BY 1, 2`,
        fixture.providerId,
      );
      const rows = await rollupRows(table);
      expect(rows.map((r) => `${r.bucket}|${r.model_id}|${r.requests}|${r.errors}`)).toEqual(
        expected.map((e) => `${e.bucket}|${e.model_id}|${e.requests}|${e.errors}`),
      );
      for (const [i, row] of rows.entries()) {
        const histogram = (values: number[]) => {
          const dense = emptyHistogram();
          for (const value of values) dense[bucketIndex(value)] = dense[bucketIndex(value)]! + 1;
          return [...dense];
        };
        expect(counts(row.latency_hist)).toEqual(histogram(expected[i]!.latency));
        expect(counts(row.ttft_hist)).toEqual(histogram(expected[i]!.ttft));
        expect(Object.values(row.errors_by_class).reduce((a, b) => a + b, 0)).toBe(Number(row.errors));
      }
    }
  });

  it("use the same buckets as width_bucket() over the same bounds in SQL", async () => {
    const values = [
      0, 1, 2, 99, 100, 101, 102, 103, 999, 1000, 1019, 1020, 1021, 59_999, 600_000, 606_865, 606_866, 5_000_000,
    ];
    const [row] = await db.$queryRawUnsafe<{ bins: number[] }[]>(
      `SELECT array_agg(width_bucket(v, $1::int4[]) - 1 ORDER BY o) AS bins FROM unnest($2::int4[]) WITH ORDINALITY AS u(v, o)`,
      `{${HIST_BOUNDS.join(",")}}`,
      `{${values.join(",")}}`,
    );
    expect(row!.bins).toEqual(values.map(bucketIndex));
  });

  it("are what the rebuild migrations compute from usage_records", async () => {
    const dir = path.join(process.cwd(), "prisma", "migrations");
    const sql = fs
      .readdirSync(dir)
      .filter((name) => /latency_rollups/.test(name))
      .sort()
      .flatMap((name) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8").split(/;\s*\n/))
      .filter((statement) => /^INSERT INTO "usage_latency_(hourly|daily)"/m.test(statement));
    expect(sql).toHaveLength(4);
    await db.$transaction(async (tx) => {
      for (const table of ["usage_latency_hourly", "usage_latency_daily"]) {
        await tx.$executeRawUnsafe(`CREATE TEMP TABLE rebuilt_${table} (LIKE ${table}) ON COMMIT DROP`);
      }
      for (const statement of sql) {
        const rebuilt = statement.replace(/INSERT INTO "(usage_latency_(?:hourly|daily))"/, "INSERT INTO rebuilt_$1");
        await tx.$executeRawUnsafe(rebuilt);
      }
      for (const table of ["usage_latency_hourly", "usage_latency_daily"]) {
        const diff = await tx.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM (
             (SELECT bucket, provider_id, model_id, requests, errors, errors_by_class, latency_hist, ttft_hist FROM ${table} WHERE provider_id = $1::uuid
              EXCEPT SELECT bucket, provider_id, model_id, requests, errors, errors_by_class, latency_hist, ttft_hist FROM rebuilt_${table} WHERE provider_id = $1::uuid)
             UNION ALL
             (SELECT bucket, provider_id, model_id, requests, errors, errors_by_class, latency_hist, ttft_hist FROM rebuilt_${table} WHERE provider_id = $1::uuid
              EXCEPT SELECT bucket, provider_id, model_id, requests, errors, errors_by_class, latency_hist, ttft_hist FROM ${table} WHERE provider_id = $1::uuid)
           ) d`,
          fixture.providerId,
        );
        expect(diff[0]!.n, table).toBe(0);
      }
    });
  });
});
