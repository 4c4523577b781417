import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { spendCsv, rawRecordsCsvStream } from "@/lib/usage/csv-exports";
import { queryLatencyPercentiles } from "@/lib/usage/latency-series";
import { sumDecimals } from "@/lib/usage/money";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { parseUsageLogParams, usageLogFilters } from "@/lib/usage/usage-log-params";
import { createUsageFixture, reconcile, wireRecord, type UsageFixture } from "./ingest-support";

let fixture: UsageFixture;
beforeAll(async () => {
  fixture = await createUsageFixture();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function column(csv: string, name: string): string[] {
  const [header = "", ...lines] = csv.trim().split("\r\n");
  const index = header.split(",").indexOf(name);
  return lines.map((line) => line.split(",")[index] ?? "");
}

describe("reports reconcile with raw records", () => {
  it("chart CSV, raw CSV and rollups all equal the raw sum to the cent (and exactly)", async () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const records = Array.from({ length: 600 }, (_, i) =>
      wireRecord(fixture, {
        occurredAt: new Date(Date.UTC(2026, 10, 1 + (i % 9), i % 24, i % 60)).toISOString(),
        inputTokens: 1 + Math.floor(next() * 5000),
        cachedInputTokens: 0,
        outputTokens: Math.floor(next() * 1000),
        tag: i % 5 === 0 ? '=HYPERLINK("x")' : `tag-${i % 3}`,
        model: i % 10 === 0 ? fixture.unpricedModel.modelId : fixture.pricedModel.modelId,
      }),
    );
    for (let i = 0; i < records.length; i += 200) await ingestBatch(records.slice(i, i + 200), fixture.tokenId);

    const totals = await reconcile(fixture.providerId);
    expect(totals.daily).toEqual(totals.raw);
    const params = parseSpendParams({ from: "2026-11-01", to: "2026-11-09", by: "tag", provider: fixture.providerId });
    const chartCsv = await spendCsv(params);
    const chartCost = sumDecimals(column(chartCsv, "cost_usd").filter(Boolean));
    expect(chartCost).toBe(totals.raw.cost);
    expect(column(chartCsv, "requests").reduce((sum, n) => sum + Number(n), 0)).toBe(totals.raw.requests);
    expect(column(chartCsv, "unpriced_requests").reduce((sum, n) => sum + Number(n), 0)).toBe(60);
    // Formula-looking tags are neutralised in both exports.
    expect(chartCsv).toContain(`"'=HYPERLINK(""x"")"`);

    const rawCsv = await readAll(
      rawRecordsCsvStream(
        usageLogFilters(parseUsageLogParams({ from: "2026-11-01", to: "2026-11-09", provider: fixture.providerId })),
        97,
      ),
    );
    const rawCosts = column(rawCsv, "cost_usd");
    expect(rawCosts).toHaveLength(600);
    expect(sumDecimals(rawCosts.filter(Boolean))).toBe(totals.raw.cost);
    expect(column(rawCsv, "priced").filter((value) => value === "unpriced")).toHaveLength(60);
    expect(rawCsv).not.toMatch(/,=HYPERLINK/);
  });

  it("reads percentiles from the rollup histograms within 2 % of percentile_cont over raw rows", async () => {
    const own = await createUsageFixture();
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const records = Array.from({ length: 4000 }, (_, i) => {
      const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return wireRecord(own, {
        occurredAt: new Date(Date.UTC(2026, 10, 3, i % 24, i % 60, i % 60)).toISOString(),
        latencyMs: Math.max(1, Math.round(800 * Math.exp(0.6 * gaussian))),
      });
    });
    for (let i = 0; i < records.length; i += 1000) await ingestBatch(records.slice(i, i + 1000), own.tokenId);
    const [estimate] = await queryLatencyPercentiles({
      from: new Date("2026-11-03T00:00:00Z"),
      to: new Date("2026-11-04T00:00:00Z"),
      granularity: "all",
      groupBy: "provider",
      providerId: own.providerId,
    });
    const [exact] = await db.$queryRawUnsafe<{ p: number[] }[]>(
      "SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS p FROM usage_records WHERE provider_id = $1::uuid",
      own.providerId,
    );
    expect(estimate?.count).toBe(4000);
    [estimate!.p50, estimate!.p95, estimate!.p99].forEach((value, i) => {
      expect(Math.abs(value! - exact!.p[i]!) / exact!.p[i]!).toBeLessThan(0.02);
    });
  });
});
