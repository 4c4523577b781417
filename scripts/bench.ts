// `npm run bench -- --rows N [--concurrency C] [--days D] [--keep]`
// Loads N synthetic usage records through ingestBatch (the function behind POST /api/v1/usage) in
// batches of 1000 into a fresh database on the local PostgreSQL, then times the chart queries
// against the rollups and the same answers computed naively from raw rows. Prints one JSON object
// on stdout; progress goes to stderr. Run under tsx with the react-server condition (package.json).
import { performance } from "node:perf_hooks";
import os from "node:os";
import { createTestDatabase } from "../tests/support/test-database";
import { syntheticRecords } from "./bench-data";
import { ensureSyntheticCatalog } from "./bench-catalog";
import { backendCpuSeconds } from "./bench-cpu";

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const rows = Math.floor(arg("rows", 10_000_000));
const concurrency = Math.floor(arg("concurrency", 4));
const days = arg("days", 90);
const keep = process.argv.includes("--keep");
const BATCH = 1000;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!.toFixed(2));
}

async function timeIt(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number; runs: number }> {
  await work(); // warm-up: plans and buffers
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), runs };
}

async function main() {
  const database = await createTestDatabase("pc_bench");
  process.env.DATABASE_URL = database.url;
  log(`database ${database.url.replace(/\/\/[^@]*@/, "//")}, ${rows} rows, concurrency ${concurrency}`);
  const { db, pool } = await import("../lib/db/client");
  const { ingestBatch } = await import("../lib/ingest/ingest-batch");
  const { insertIngestToken } = await import("../lib/ingest/tokens");
  const { querySpend } = await import("../lib/usage/spend-series");
  const { queryLatencyPercentiles } = await import("../lib/usage/latency-series");
  const { queryUsageLog } = await import("../lib/usage/usage-log");
  const loadAtStart = os.loadavg();
  try {
    await ensureSyntheticCatalog(db);
    const { row: token } = await insertIngestToken({ name: "bench", createdById: null });
    const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - days * 86_400_000);

    const batches = Math.ceil(rows / BATCH);
    let next = 0;
    let done = 0;
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const backendCpuAtStart = await backendCpuSeconds(pool);
    const worker = async () => {
      for (let batch = next++; batch < batches; batch = next++) {
        const summary = await ingestBatch(syntheticRecords(batch * BATCH, BATCH, rows, from, to), token.id);
        if (summary.errors)
          throw new Error(`batch ${batch}: ${JSON.stringify(summary.results.find((r) => r.status === "error"))}`);
        done += 1;
        if (done % Math.max(1, Math.floor(batches / 20)) === 0)
          log(
            `${done}/${batches} batches, ${Math.round((done * BATCH) / ((performance.now() - started) / 1000))} records/s`,
          );
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const ingestSeconds = (performance.now() - started) / 1000;
    const ingestCpu = process.cpuUsage(cpuAtStart);
    const backendCpuAtEnd = await backendCpuSeconds(pool);
    const nodeCpuSeconds = (ingestCpu.user + ingestCpu.system) / 1e6;
    const postgresCpuSeconds =
      backendCpuAtStart === null || backendCpuAtEnd === null ? null : backendCpuAtEnd - backendCpuAtStart;
    log(`ingested in ${ingestSeconds.toFixed(1)} s; vacuum analyze`);

    // Rollups are written in the ingest transaction: once a batch commits they already count it.
    const lagCheck = await pool.query<{ raw: string; rolled: string }>(
      "SELECT (SELECT count(*) FROM usage_records)::text AS raw, (SELECT sum(requests) FROM usage_rollup_daily)::text AS rolled",
    );
    // What autovacuum does on a live system once the rows stop changing (past hours and days).
    for (const table of [
      "usage_records",
      "usage_rollup_daily",
      "usage_rollup_hourly",
      "usage_latency_daily",
      "usage_latency_hourly",
    ]) {
      await pool.query(`VACUUM ANALYZE ${table}`);
    }

    const range = (d: number) => ({ from: new Date(to.getTime() - d * 86_400_000), to });
    const naiveSpend = (d: number) =>
      pool.query(
        `SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day, provider_id, sum(cost), count(*) FILTER (WHERE NOT priced), count(*)
         FROM usage_records WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1, 2`,
        [range(d).from, range(d).to],
      );
    const naiveLatency = (d: number) =>
      pool.query<{ day: Date; provider_id: string; p: number[] }>(
        `SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day, provider_id::text,
           percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS p
         FROM usage_records WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1, 2`,
        [range(d).from, range(d).to],
      );
    const queries: Record<string, unknown> = {};
    for (const d of [30, 90]) {
      log(`timing ${d}-day queries`);
      const spend = await timeIt(20, () => querySpend({ ...range(d), period: "day", groupBy: "provider" }));
      const latency = await timeIt(20, () =>
        queryLatencyPercentiles({ ...range(d), granularity: "day", groupBy: "provider" }),
      );
      const spendNaive = await timeIt(3, () => naiveSpend(d));
      const latencyNaive = await timeIt(3, () => naiveLatency(d));
      queries[`${d}d`] = {
        spendByDay: { rollupMs: spend, naiveMs: spendNaive, speedupP50: Math.round(spendNaive.p50 / spend.p50) },
        latencyPercentilesByDay: {
          rollupMs: latency,
          naiveMs: latencyNaive,
          speedupP50: Math.round(latencyNaive.p50 / latency.p50),
        },
      };
    }

    // Accuracy: histogram percentiles against percentile_cont over the same raw rows (30 days).
    const fromHist = await queryLatencyPercentiles({ ...range(30), granularity: "day", groupBy: "provider" });
    const exact = (await naiveLatency(30)).rows;
    let worst = 0;
    for (const row of exact) {
      const day = new Date(row.day).toISOString().replace(".000Z", "Z");
      const point = fromHist.find((p) => p.seriesId === row.provider_id && p.period === day);
      if (!point) continue;
      [point.p50, point.p95, point.p99].forEach((value, i) => {
        worst = Math.max(worst, Math.abs((value ?? 0) - row.p[i]!) / row.p[i]!);
      });
    }

    log("timing the usage log's deepest page");
    const oldest = await pool.query<{ occurred_at: Date; id: string; provider_id: string }>(
      "SELECT occurred_at, id::text, provider_id::text FROM usage_records ORDER BY occurred_at ASC, id ASC OFFSET 50 LIMIT 1",
    );
    const deep = oldest.rows[0]!;
    const allTime = { from: new Date(0), to: new Date(to.getTime() + 86_400_000) };
    const cursor = { at: deep.occurred_at.toISOString(), id: deep.id };
    const deepest = await timeIt(20, () => queryUsageLog(allTime, cursor));
    const deepestFiltered = await timeIt(20, () => queryUsageLog({ ...allTime, providerId: deep.provider_id }, cursor));
    const size = await pool.query<{ raw: string; rollups: string }>(
      "SELECT pg_size_pretty(pg_total_relation_size('usage_records')) AS raw, pg_size_pretty(pg_total_relation_size('usage_rollup_hourly') + pg_total_relation_size('usage_rollup_daily')) AS rollups",
    );

    const result = {
      rows,
      days,
      batchSize: BATCH,
      concurrency,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        postgres: (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v,
        // 1/5/15-minute load averages: the machine is shared, so say how busy it was.
        loadAverageAtStart: loadAtStart.map((value) => Number(value.toFixed(2))),
        loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))),
      },
      ingest: {
        seconds: Number(ingestSeconds.toFixed(1)),
        recordsPerSecond: Math.round(rows / ingestSeconds),
        // CPU actually spent: this process (generating, validating, batching) and the PostgreSQL
        // backends. On a shared machine the wall-clock rate depends on the neighbours; the CPU
        // cost per record, and the rate it implies on two otherwise idle cores, does not.
        nodeCpuSeconds: Number(nodeCpuSeconds.toFixed(1)),
        postgresCpuSeconds: postgresCpuSeconds === null ? null : Number(postgresCpuSeconds.toFixed(1)),
        cpuMicrosecondsPerRecord:
          postgresCpuSeconds === null ? null : Math.round(((nodeCpuSeconds + postgresCpuSeconds) * 1e6) / rows),
        recordsPerSecondOnTwoIdleCores:
          postgresCpuSeconds === null ? null : Math.round((2 * rows) / (nodeCpuSeconds + postgresCpuSeconds)),
      },
      rollupLag: {
        ms: 0,
        note: "rollups are upserted in the ingest transaction",
        rawCount: Number(lagCheck.rows[0]?.raw),
        rollupCount: Number(lagCheck.rows[0]?.rolled),
      },
      queries,
      percentileMaxRelativeError30d: Number(worst.toFixed(4)),
      usageLogDeepestPageMs: { unfiltered: deepest, providerFilter: deepestFiltered },
      storage: size.rows[0],
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.$disconnect();
    await pool.end();
    if (keep) log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
