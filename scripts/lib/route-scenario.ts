// The gateway benchmark's route scenario (scripts/bench-gateway.ts): what a route costs over naming
// the model, and how fast a cache hit is answered. Three kinds of request take turns request by
// request in one open loop at the offered rate against one gateway, all with a key without limits
// or budgets (admission would dominate otherwise): the model by its gateway name ("slug/model"), a
// fallback route whose first target is that model (same upstream work, so the difference is the
// routing decision), and a cached route's identical request (warmed first, every x-cache tallied);
// a fourth, straight to the upstream, is the floor: what any HTTP answer costs this load generator.
// Taking turns, not slices, because a neighbour's burst on a shared machine moves a slice's p50 by
// milliseconds, far more than the 0.2 ms in question.
import { performance } from "node:perf_hooks";
import type { Pool } from "undici";
import { openLoopAlternating, percentile, round2, timedRequest, type Target } from "./open-loop";
import type { RouteSeed } from "./route-scenario-seed";

export const ROUTE_ADDED_P50_LIMIT_MS = 0.2;
export const CACHE_HIT_P50_LIMIT_MS = 1;

const summary = (samples: readonly number[]) => ({
  p50: round2(percentile(samples, 50)),
  p99: round2(percentile(samples, 99)),
  n: samples.length,
});

/**
 * A 95 % bootstrap interval of a statistic over samples resampled with replacement (a fixed seed,
 * so a rerun on the same samples gives the same interval): whether a pass or fail is noise.
 */
function interval95<T>(groups: readonly (readonly T[])[], statistic: (...groups: T[][]) => number): [number, number] {
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const resample = (samples: readonly T[]) =>
    Array.from({ length: samples.length }, () => samples[Math.floor(random() * samples.length)]!);
  const values = Array.from({ length: 400 }, () => statistic(...groups.map(resample)));
  return [round2(percentile(values, 2.5)), round2(percentile(values, 97.5))];
}

const p50Difference = (a: number[], b: number[]) => percentile(b, 50) - percentile(a, 50);
const median = (values: number[]) => percentile(values, 50);

export async function runRouteScenario(options: {
  pool: Pool;
  /** A pool to the upstream itself, for the floor. */
  upstreamPool: Pool;
  seed: RouteSeed;
  rate: number;
  rounds: number;
  sliceMs: number;
  log: (message: string) => void;
}) {
  const { seed, rate, rounds, sliceMs, log } = options;
  const messages = [{ role: "user", content: "Say hello to the benchmark." }];
  const headers = { "content-type": "application/json", authorization: `Bearer ${seed.key}` };
  const cacheHeader = new Map<string, number>();
  const named = (name: string, model: string, extra: Partial<Target> = {}): Target => ({
    name,
    pool: options.pool,
    path: "/v1/chat/completions",
    headers,
    body: () => JSON.stringify({ model, messages }),
    ...extra,
  });
  const targets = [
    named("model", seed.modelName),
    named("route", seed.routeName),
    named("cacheHit", seed.cachedRouteName, {
      onResponse: (_status, responseHeaders) => {
        const value = String(responseHeaders["x-cache"] ?? "none");
        cacheHeader.set(value, (cacheHeader.get(value) ?? 0) + 1);
      },
    }),
    named("upstream", "bench-model", {
      pool: options.upstreamPool,
      headers: { "content-type": "application/json", authorization: "Bearer sk-direct" },
    }),
  ];
  const viaGateway = (name: string) => name !== "upstream";

  // The cache is written after the first answer goes out: repeat until a HIT comes back.
  log("routes: warming the cache");
  const cached = targets[2]!;
  let warmedAfter = 0;
  for (; warmedAfter < 50 && !cacheHeader.has("HIT"); warmedAfter += 1) {
    await timedRequest(cached, false, performance.now());
    if (!cacheHeader.has("HIT")) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const warm = Object.fromEntries(cacheHeader);
  log("routes: warm-up");
  let warmUpSent = warmedAfter;
  let warmUpErrors = 0;
  const warmUp = await openLoopAlternating(targets, { stream: false, rate, durationMs: 2_000 });
  warmUp.results.forEach((result, index) => {
    if (!viaGateway(targets[index]!.name)) return;
    warmUpSent += result.sent;
    warmUpErrors += result.errors;
  });
  cacheHeader.clear();

  log(`routes: ${rounds} rounds of ${sliceMs} ms at ${rate} req/s, model / route / cache hit / upstream in turn`);
  const samples = new Map<string, { total: number[]; errors: number; sent: number }>();
  const addedP50ByRound: number[] = [];
  // route − model within each turn (the two sent a few milliseconds apart, in random order).
  const paired: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const { results, turns } = await openLoopAlternating(targets, { stream: false, rate, durationMs: sliceMs });
    for (const times of turns) if (Number.isFinite(times[0]! + times[1]!)) paired.push(times[1]! - times[0]!);
    results.forEach((result, index) => {
      const entry = samples.get(targets[index]!.name) ?? { total: [], errors: 0, sent: 0 };
      entry.total.push(...result.totalMs);
      entry.errors += result.errors;
      entry.sent += result.sent;
      samples.set(targets[index]!.name, entry);
    });
    addedP50ByRound.push(round2(percentile(results[1]!.totalMs, 50) - percentile(results[0]!.totalMs, 50)));
  }
  const of = (name: string) => samples.get(name)!;
  const model = summary(of("model").total);
  const route = summary(of("route").total);
  const hit = summary(of("cacheHit").total);
  const floor = summary(of("upstream").total);
  const hits = cacheHeader.get("HIT") ?? 0;
  const misses = cacheHeader.get("MISS") ?? 0;
  const otherHeaders = Object.fromEntries([...cacheHeader].filter(([value]) => value !== "HIT" && value !== "MISS"));
  const addedP50 = round2(route.p50 - model.p50);
  const interval = interval95([of("model").total, of("route").total], p50Difference);
  const pairedMedian = round2(median(paired));
  const pairedInterval = interval95([paired], median);
  const routeErrors = of("model").errors + of("route").errors;
  const cacheErrors = of("cacheHit").errors;
  // Every request this key sent, warm-up included: each must have its usage record.
  const measured = [...samples].filter(([name]) => viaGateway(name)).map(([, entry]) => entry);
  const sent = warmUpSent + measured.reduce((total, entry) => total + entry.sent, 0);
  const failed = warmUpErrors + measured.reduce((total, entry) => total + entry.errors, 0);

  const report = {
    offeredRate: rate,
    rounds,
    sliceMs,
    cacheStore: process.env.REDIS_URL ? "redis" : "postgresql",
    names: { model: seed.modelName, route: seed.routeName, cachedRoute: seed.cachedRouteName },
    nonStreamedMs: {
      model,
      route,
      errors: { model: of("model").errors, route: of("route").errors },
      addedP50,
      addedP50Interval95: interval,
      // A steadier estimate of the same cost: the median of each turn's route − model.
      pairedMedianAdded: pairedMedian,
      pairedMedianAddedInterval95: pairedInterval,
      pairs: paired.length,
      addedP99: round2(route.p99 - model.p99),
      addedP50ByRound,
    },
    upstreamFloorMs: floor,
    cacheHitMs: {
      ...hit,
      overFloorP50: round2(hit.p50 - floor.p50),
      errors: cacheErrors,
      xCache: { HIT: hits, MISS: misses, ...otherHeaders },
      warm,
      warmedAfter,
    },
  };
  const targetsReport = [
    {
      name: `route adds ≤ ${ROUTE_ADDED_P50_LIMIT_MS} ms p50 over naming the model (non-streamed, same upstream work)`,
      // conclusive: the interval lies wholly on one side of the limit (else this run's noise decides).
      measured: {
        model: model.p50,
        route: route.p50,
        added: addedP50,
        interval95: interval,
        conclusive: interval[1] <= ROUTE_ADDED_P50_LIMIT_MS || interval[0] > ROUTE_ADDED_P50_LIMIT_MS,
        pairedMedianAdded: pairedMedian,
        pairedInterval95: pairedInterval,
        errors: routeErrors,
      },
      pass: addedP50 <= ROUTE_ADDED_P50_LIMIT_MS && routeErrors === 0,
    },
    {
      name: `cache hit answered in < ${CACHE_HIT_P50_LIMIT_MS} ms p50 (every answer x-cache: HIT)`,
      // The floor beside it: the same load generator straight to the upstream, no gateway.
      measured: { p50: hit.p50, p99: hit.p99, misses, errors: cacheErrors, upstreamFloorP50: floor.p50 },
      pass:
        hit.p50 < CACHE_HIT_P50_LIMIT_MS && misses === 0 && Object.keys(otherHeaders).length === 0 && cacheErrors === 0,
    },
  ];
  return { report, targets: targetsReport, sent, failed };
}

/** The scenario key's usage records after the gateway stopped: every answer, hits marked cached. */
export async function routeRecords(pgPool: import("pg").Pool, keyId: string) {
  const { rows } = await pgPool.query<{ cached: boolean; via_route: boolean; n: string }>(
    `SELECT cached, route_id IS NOT NULL AS via_route, count(*)::text AS n
       FROM usage_records WHERE source = 'GATEWAY' AND gateway_key_id = $1 GROUP BY 1, 2`,
    [keyId],
  );
  const count = (match: (row: (typeof rows)[number]) => boolean) =>
    rows.filter(match).reduce((total, row) => total + Number(row.n), 0);
  return { total: count(() => true), cached: count((row) => row.cached), viaRoute: count((row) => row.via_route) };
}
