// `npm run bench:gateway -- [--quick] [--routes-only] [--rate 500] [--streams 1000] [--upstream-connections N] [--no-limits] [--workers N] [--cpu-prof DIR] [--probe-db] [--keep]`
// The gateway's overhead: the same chat requests sent three ways, interleaved in one run — straight
// to a local upstream that answers at once, through a bare pass-through proxy (node:http + undici,
// nothing else), and through the gateway process (key check, admission with limits and a budget
// reservation in PostgreSQL, the usage record) — at a fixed offered rate (open loop). Then the
// highest rate each sustains with p99 under 50 ms, the gateway's CPU per request and memory (also
// with --streams concurrent slow streams), and, after a graceful stop, usage records written
// against requests answered. Prints one JSON object (targets with pass/fail; nothing is asserted);
// progress goes to stderr. --cpu-prof writes the gateway's V8 CPU profile to DIR and prints its
// top functions. The route scenario (scripts/lib/route-scenario.ts: a route against naming the model,
// and cache hits) runs after the latency slices; --routes-only runs just it. A full run takes about
// three minutes on two cores; --quick about one; --quick --routes-only under half a minute.
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import { createTestDatabase } from "../tests/support/test-database";
import { startGatewayProcess } from "../tests/support/gateway-process";
import { scriptPid, treeCpuSeconds, treeMemoryMb } from "../tests/support/process-tree";
import { openLoop, percentile, round2, timedRequest, type LoopResult, type Target } from "./lib/open-loop";
import { topSelfTime } from "./lib/cpu-profile";
import { routeRecords, runRouteScenario } from "./lib/route-scenario";
import { seedRoutes } from "./lib/route-scenario-seed";

const flag = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const quick = process.argv.includes("--quick");
const keep = process.argv.includes("--keep");
const rate = Math.max(10, Number(flag("rate", "500")));
const streams = Math.max(1, Math.min(5_000, Number(flag("streams", "1000"))));
const cpuProfDir = flag("cpu-prof", "");
// The gateway's connections per provider origin (GATEWAY_UPSTREAM_CONNECTIONS); unset = its default.
const upstreamConnections = flag("upstream-connections", "");
// GATEWAY_WORKERS for the gateway process (node:cluster workers; CPU and memory summed over them).
const gatewayWorkers = flag("workers", "1");
// Samples what the gateway's database sessions are doing (pg_stat_activity) during its slices.
const probeDatabase = process.argv.includes("--probe-db");
// A gateway key with no limits and no budgets (admission skipped): what the rest of the path costs.
const noLimits = process.argv.includes("--no-limits");
// Only the route scenario (which always uses its own key without limits).
const routesOnly = process.argv.includes("--routes-only");
const sliceMs = quick ? 1_000 : 1_500;
const rounds = quick ? 2 : 4;
// More rounds for the route scenario: a 0.2 ms difference needs more samples than a 1 ms one.
const routeRounds = quick ? 4 : 6;
const routeSliceMs = quick ? 2_500 : 3_000;
const stepMs = quick ? 1_000 : 2_000;
const steps = quick ? [1000, 2000, 3000, 4000] : [1000, 1500, 2000, 2500, 3000, 4000, 5000, 6500, 8000];
const P99_LIMIT_MS = 50;
const log = (message: string) => process.stderr.write(`[bench:gateway] ${message}\n`);

function startPeer(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/bench-gateway-peer.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

/** Tallies the state of every other session on this database every 10 ms until stopped. */
function sampleDatabase(pool: import("pg").Pool, into: Map<string, number>): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ what: string }>(
        `SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 50) AS what
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      for (const { what } of rows) into.set(what, (into.get(what) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const summary = (samples: readonly number[]) => ({
  p50: round2(percentile(samples, 50)),
  p99: round2(percentile(samples, 99)),
  n: samples.length,
});

async function main(): Promise<void> {
  const loadAtStart = os.loadavg();
  const database = await createTestDatabase("pc_benchgw");
  process.env.DATABASE_URL = database.url;
  process.env.CONSOLE_MASTER_KEYS = `bench1:${randomBytes(32).toString("base64")}`;
  process.env.EGRESS_ALLOWED_NETWORKS = "127.0.0.0/8";
  const providerKey = `sk-bench-${randomBytes(12).toString("hex")}`;
  const children: ChildProcess[] = [];
  const { db, pool: pgPool } = await import("../lib/db/client");
  try {
    const up = await startPeer(["upstream", "0"], { BENCH_PROVIDER_KEY: providerKey });
    children.push(up.child);
    const upstreamOrigin = `http://127.0.0.1:${up.port}`;
    const proxy = await startPeer(["proxy", upstreamOrigin]);
    children.push(proxy.child);

    log(`seeding ${database.url.replace(/\/\/[^@]*@/, "//")}`);
    const { createActor } = await import("../tests/support/actors");
    const { insertKey } = await import("../lib/keys/store");
    const { generateGatewayKey } = await import("../lib/gateway-keys/key-material");
    const admin = await createActor("ADMIN");
    const provider = await db.provider.create({
      data: { name: "bench-upstream", kind: "openai", baseUrl: `${upstreamOrigin}/v1`, enabled: true },
      select: { id: true, slug: true },
    });
    const seedModel = (modelId: string, displayName: string) =>
      db.model.create({
        data: {
          providerId: provider.id,
          modelId,
          displayName,
          prices: {
            create: { inputPerMTok: "2.5", outputPerMTok: "10", effectiveFrom: new Date("2020-01-01T00:00:00Z") },
          },
        },
        select: { id: true },
      });
    const model = await seedModel("bench-model", "Bench model");
    // The route's second target, never reached (its first answers every request).
    const fallbackModel = await seedModel("bench-model-fallback", "Bench fallback model");
    await db.configVersion.create({
      data: {
        scope: "PROVIDER",
        providerId: provider.id,
        version: 1,
        values: { retries: 0, timeoutMs: 30_000 },
        authorId: admin.id,
      },
    });
    // Sealed under this run's master key by the key store (the add-key action minus its audit
    // event and Next.js revalidation, which a script cannot load).
    await db.$transaction((tx) =>
      insertKey(tx, {
        providerId: provider.id,
        label: "bench",
        apiKey: providerKey,
        expiresAt: null,
        isPrimary: true,
        createdById: admin.id,
        baseUrl: `${upstreamOrigin}/v1`,
      }),
    );
    // Limits far above what the run offers, so every request runs admission and a budget
    // reservation (key and team scopes) and none is refused.
    const team = await db.team.create({
      data: { name: "bench-team", monthlyBudgetUsd: noLimits ? null : "1000000000.00" },
      select: { id: true },
    });
    const material = generateGatewayKey();
    const benchKey = await db.gatewayKey.create({
      select: { id: true },
      data: {
        teamId: team.id,
        name: "bench-key",
        keyHash: material.hash,
        last4: material.last4,
        ...(noLimits
          ? {}
          : {
              monthlyBudgetUsd: "1000000000.00",
              rpmLimit: 100_000_000,
              tpmLimit: 2_000_000_000,
              maxParallel: 100_000,
            }),
      },
    });

    const routeSeed = await seedRoutes({
      admin,
      providerId: provider.id,
      slug: provider.slug,
      modelId: "bench-model",
      modelRowId: model.id,
      fallbackModelRowId: fallbackModel.id,
    });

    const gateway = await startGatewayProcess(
      {
        GATEWAY_WORKERS: gatewayWorkers,
        ...(upstreamConnections ? { GATEWAY_UPSTREAM_CONNECTIONS: upstreamConnections } : {}),
      },
      cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : [],
    );
    // Node started directly (not through the tsx CLI): its own pid, with its workers beneath it.
    const gatewayPid = gateway.child.pid!;
    const proxyPid = scriptPid(proxy.child.pid!);
    log(`upstream :${up.port}, proxy :${proxy.port}, gateway :${gateway.port} (pid ${gatewayPid})`);

    const messages = [{ role: "user", content: "Say hello to the benchmark." }];
    const body = (model: string) => (stream: boolean) =>
      JSON.stringify({ model, messages, ...(stream ? { stream: true } : {}) });
    const poolFor = (port: number, connections = 512) =>
      new Pool(`http://127.0.0.1:${port}`, { connections, keepAliveTimeout: 30_000, bodyTimeout: 0 });
    const json = { "content-type": "application/json" };
    const stats = async () =>
      (await (await fetch(`${upstreamOrigin}/stats`)).json()) as {
        answered: number;
        gatewayAnswered: number;
        openDrips: number;
        peakDrips: number;
      };
    // What the upstream answered during the scenario is left out of the main run's record check.
    const runRoutes = async () => {
      const routePool = poolFor(gateway.port);
      const upstreamPool = poolFor(up.port);
      const before = (await stats()).gatewayAnswered;
      const scenario = await runRouteScenario({
        pool: routePool,
        upstreamPool,
        seed: routeSeed,
        rate,
        rounds: routeRounds,
        sliceMs: routeSliceMs,
        log,
      });
      await routePool.close();
      await upstreamPool.close();
      return { ...scenario, upstreamAnswered: (await stats()).gatewayAnswered - before };
    };
    const machine = (loadAtEnd: number[]) => ({
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      loadAverageAtStart: loadAtStart.map((v) => round2(v)),
      loadAverageAtEnd: loadAtEnd.map((v) => round2(v)),
    });
    if (routesOnly) {
      const scenario = await runRoutes();
      const loadAtEnd = os.loadavg();
      log("graceful stop; counting the scenario's usage records");
      await gateway.stop("SIGTERM");
      const records = await routeRecords(pgPool, routeSeed.keyId);
      const result = {
        machine: machine(loadAtEnd),
        config: { routesOnly, quick, offeredRate: rate, routeRounds, routeSliceMs },
        routes: { ...scenario.report, usage: { sentWithWarmUp: scenario.sent, failed: scenario.failed, records } },
        targets: scenario.targets,
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const targets: Target[] = [
      {
        name: "direct",
        pool: poolFor(up.port),
        path: "/v1/chat/completions",
        headers: { ...json, authorization: "Bearer sk-direct" },
        body: body("bench-model"),
      },
      {
        name: "proxy",
        pool: poolFor(proxy.port),
        path: "/v1/chat/completions",
        headers: { ...json, authorization: "Bearer sk-direct" },
        body: body("bench-model"),
      },
      {
        name: "gateway",
        pool: poolFor(gateway.port),
        path: "/v1/chat/completions",
        headers: { ...json, authorization: `Bearer ${material.key}` },
        body: body("bench-model"),
      },
    ];
    let gatewayOk = 0;
    let gatewaySent = 0;
    const run = async (target: Target, stream: boolean, offered: number, durationMs: number): Promise<LoopResult> => {
      const result = await openLoop(target, { stream, rate: offered, durationMs });
      if (target.name === "gateway") {
        gatewaySent += result.sent;
        gatewayOk += result.ok;
      }
      return result;
    };

    // Warm-up (JIT, connection pools, the gateway's caches): run, not counted.
    log("warm-up");
    for (const target of targets) for (const stream of [false, true]) await run(target, stream, rate, 1_000);

    // Latency at the fixed rate, interleaved: short slices per target and mode, the order rotated
    // each round, so a neighbour's burst on the shared machine lands on all three alike.
    log(`latency at ${rate} req/s: ${rounds} rounds of ${sliceMs} ms slices`);
    const samples = new Map<
      string,
      { firstByte: number[]; total: number[]; errors: number; reasons: Record<string, number> }
    >();
    const cpu = new Map<string, { seconds: number; requests: number }>();
    const pidOf: Record<string, number> = { gateway: gatewayPid, proxy: proxyPid };
    const waits = new Map<string, number>();
    for (let round = 0; round < rounds; round += 1) {
      for (const stream of [false, true]) {
        for (let i = 0; i < targets.length; i += 1) {
          const target = targets[(i + round) % targets.length]!;
          const key = `${target.name}:${stream ? "streamed" : "plain"}`;
          const pid = pidOf[target.name];
          const cpuBefore = pid ? treeCpuSeconds(pid) : null;
          const probe = probeDatabase && target.name === "gateway" ? sampleDatabase(pgPool, waits) : null;
          const result = await run(target, stream, rate, sliceMs);
          const cpuAfter = pid ? treeCpuSeconds(pid) : null;
          await probe?.stop();
          const entry = samples.get(key) ?? { firstByte: [], total: [], errors: 0, reasons: {} };
          for (const [reason, n] of Object.entries(result.errorReasons))
            entry.reasons[reason] = (entry.reasons[reason] ?? 0) + n;
          entry.firstByte.push(...result.firstByteMs);
          entry.total.push(...result.totalMs);
          entry.errors += result.errors;
          samples.set(key, entry);
          if (cpuBefore !== null && cpuAfter !== null) {
            const used = cpu.get(key) ?? { seconds: 0, requests: 0 };
            used.seconds += cpuAfter - cpuBefore;
            used.requests += result.sent;
            cpu.set(key, used);
          }
        }
      }
    }
    const view = (mode: "plain" | "streamed", field: "firstByte" | "total") => {
      const of = (name: string) => summary(samples.get(`${name}:${mode}`)![field]);
      const direct = of("direct");
      const proxied = of("proxy");
      const gatewayed = of("gateway");
      return {
        direct,
        proxy: proxied,
        gateway: gatewayed,
        errors: Object.fromEntries(targets.map((t) => [t.name, samples.get(`${t.name}:${mode}`)!.errors])),
        errorReasons: Object.fromEntries(targets.map((t) => [t.name, samples.get(`${t.name}:${mode}`)!.reasons])),
        addedP50: { proxy: round2(proxied.p50 - direct.p50), gateway: round2(gatewayed.p50 - direct.p50) },
        addedP99: { proxy: round2(proxied.p99 - direct.p99), gateway: round2(gatewayed.p99 - direct.p99) },
      };
    };
    const latency = {
      nonStreamed: view("plain", "total"),
      streamedFirstByte: view("streamed", "firstByte"),
      streamedComplete: view("streamed", "total"),
    };
    const routes = await runRoutes();

    const perRequestUs = (key: string) => {
      const used = cpu.get(key);
      return used && used.requests > 0 ? Math.round((used.seconds * 1e6) / used.requests) : null;
    };

    // The highest offered rate each sustains: non-streamed, stepped up, interleaved per step.
    log(`rate steps ${steps.join(", ")} req/s, ${stepMs} ms each`);
    const best: Record<string, number> = { direct: 0, proxy: 0, gateway: 0 };
    const failedAt: Record<string, unknown> = {};
    const stepLog: unknown[] = [];
    for (const offered of steps) {
      for (const target of targets) {
        if (target.name in failedAt) continue;
        const result = await run(target, false, offered, stepMs);
        const p99 = percentile(result.totalMs, 99);
        const keptUp = result.sentPerSecond >= offered * 0.95;
        const passed = result.errors === 0 && p99 < P99_LIMIT_MS && keptUp;
        stepLog.push({
          target: target.name,
          offered,
          sentPerSecond: result.sentPerSecond,
          p50: round2(percentile(result.totalMs, 50)),
          p99: round2(p99),
          errors: result.errors,
          ...(result.errors > 0 ? { errorReasons: result.errorReasons } : {}),
        });
        log(
          `${target.name} @${offered}: p99 ${round2(p99)} ms, ${result.errors} errors, sent ${result.sentPerSecond}/s`,
        );
        if (passed) best[target.name] = offered;
        else failedAt[target.name] = { offered, p99: round2(p99), errors: result.errors, senderKeptUp: keptUp };
      }
      if (Object.keys(failedAt).length === targets.length) break;
      // Let the machine settle between steps (queued records, sockets in TIME_WAIT).
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const memoryAfterLoad = treeMemoryMb(gatewayPid);

    // Memory with many concurrent streams: slow-drip upstream streams held open at once.
    log(`${streams} concurrent slow streams through the gateway`);
    const streamPool = new Pool(`http://127.0.0.1:${gateway.port}`, {
      connections: streams + 10,
      bodyTimeout: 0,
      headersTimeout: 120_000,
    });
    let open = 0;
    let peakOpen = 0;
    let rssPeak = 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, treeMemoryMb(gatewayPid)?.rss ?? 0);
    }, 50);
    const dripTarget: Target = {
      ...targets[2]!,
      pool: streamPool,
      body: () => JSON.stringify({ model: "bench-model", messages, stream: true, user: "bench-drip" }),
    };
    const dripStarted = performance.now();
    const dripping = Promise.allSettled(
      Array.from({ length: streams }, async () => {
        open += 1;
        peakOpen = Math.max(peakOpen, open);
        try {
          return await timedRequest(dripTarget, true, performance.now());
        } finally {
          open -= 1;
        }
      }),
    );
    // Every stream open at the upstream at once (or a minute gone), then let them all finish.
    const holdUntil = performance.now() + 60_000;
    while ((await stats()).openDrips < streams && performance.now() < holdUntil)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const heldOpen = (await stats()).openDrips;
    await fetch(`${upstreamOrigin}/release`, { method: "POST" });
    const dripResults = await dripping;
    clearInterval(sampler);
    const dripOk = dripResults.filter((r) => r.status === "fulfilled").length;
    gatewaySent += streams;
    gatewayOk += dripOk;
    const upstreamStats = await stats();
    const streamMemory = {
      streams,
      completed: dripOk,
      seconds: round2((performance.now() - dripStarted) / 1000),
      peakOpenAtClient: peakOpen,
      peakOpenAtUpstream: upstreamStats.peakDrips,
      openAtUpstreamWhenReleased: heldOpen,
      upstreamConnections: upstreamConnections || "gateway default",
      gatewayRssPeakMb: rssPeak,
    };
    await streamPool.close();
    for (const target of targets) await target.pool.close();

    // Graceful stop, then every answered request must have its record.
    log("graceful stop; counting usage records");
    const peakMemory = treeMemoryMb(gatewayPid);
    const loadAtEnd = os.loadavg();
    await gateway.stop("SIGTERM");
    const records = await pgPool.query<{ status: string; n: string }>(
      "SELECT status::text, count(*)::text AS n FROM usage_records WHERE source = 'GATEWAY' AND gateway_key_id = $1 GROUP BY status",
      [benchKey.id],
    );
    const byStatus = Object.fromEntries(records.rows.map((row) => [row.status, Number(row.n)]));
    const written = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const routeUsage = await routeRecords(pgPool, routeSeed.keyId);
    const upstreamFinal = {
      gatewayAnswered: (await stats()).gatewayAnswered - routes.upstreamAnswered,
    };

    const gwMax = best.gateway!;
    const proxyMax = best.proxy!;
    const plain = latency.nonStreamed;
    const targetsReport = [
      { name: "added p50 (non-streamed) ≤ 1 ms", measured: plain.addedP50.gateway, pass: plain.addedP50.gateway <= 1 },
      {
        name: "added p99 ≤ 1.5 × bare proxy's added p99 (non-streamed)",
        measured: { gateway: plain.addedP99.gateway, proxy: plain.addedP99.proxy },
        pass: plain.addedP99.gateway <= 1.5 * Math.max(plain.addedP99.proxy, 0),
      },
      {
        name: "added p99 ≤ 1.5 × bare proxy's added p99 (streamed first byte)",
        measured: {
          gateway: latency.streamedFirstByte.addedP99.gateway,
          proxy: latency.streamedFirstByte.addedP99.proxy,
        },
        pass: latency.streamedFirstByte.addedP99.gateway <= 1.5 * Math.max(latency.streamedFirstByte.addedP99.proxy, 0),
      },
      { name: "≥ 2,000 non-streamed req/s through one instance (p99 < 50 ms)", measured: gwMax, pass: gwMax >= 2000 },
      {
        name: "≥ half the bare proxy's rate",
        measured: { gateway: gwMax, proxy: proxyMax },
        pass: gwMax >= proxyMax / 2,
      },
      {
        name: `< 300 MB RSS with ${streams} concurrent streams`,
        measured: rssPeak,
        pass: rssPeak > 0 && rssPeak < 300 && upstreamStats.peakDrips >= streams,
      },
      {
        name: "every request recorded",
        // Against what the upstream answered for the gateway: a request the client gave up on
        // (drain timeout) may still have been answered, and then it must have its record too.
        measured: {
          records: written,
          sentToGateway: gatewaySent,
          upstreamAnsweredForGateway: upstreamFinal.gatewayAnswered,
          answeredToClientInTime: gatewayOk,
        },
        pass: written === upstreamFinal.gatewayAnswered && written >= gatewayOk,
      },
    ];
    const profile = cpuProfDir ? topSelfTime(cpuProfDir, gatewayPid, 25) : undefined;

    const result = {
      machine: machine(loadAtEnd),
      config: {
        workers: Number(gatewayWorkers),
        noLimits,
        quick,
        routeRounds,
        routeSliceMs,
        offeredRate: rate,
        sliceMs,
        rounds,
        stepMs,
        p99LimitMs: P99_LIMIT_MS,
        cpuProfile: !!cpuProfDir,
      },
      latencyMs: latency,
      maxRatePerSecond: { ...best, failedAt, steps: stepLog },
      cpuPerRequestUs: {
        gateway: { nonStreamed: perRequestUs("gateway:plain"), streamed: perRequestUs("gateway:streamed") },
        proxy: { nonStreamed: perRequestUs("proxy:plain"), streamed: perRequestUs("proxy:streamed") },
      },
      memoryMb: { gatewayAfterLoad: memoryAfterLoad, gatewayAtEnd: peakMemory, streams: streamMemory },
      usage: {
        sentToGateway: gatewaySent,
        answeredByGateway: gatewayOk,
        upstreamAnsweredForGateway: upstreamFinal.gatewayAnswered,
        records: written,
        byStatus,
      },
      routes: {
        ...routes.report,
        usage: {
          sentWithWarmUp: routes.sent,
          failed: routes.failed,
          upstreamAnswered: routes.upstreamAnswered,
          records: routeUsage,
        },
      },
      targets: [...targetsReport, ...routes.targets],
      ...(profile ? { gatewayProfileTopSelfMs: profile } : {}),
      ...(probeDatabase
        ? { databaseSessionSamples: Object.fromEntries([...waits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await db.$disconnect();
    await pgPool.end();
    if (keep) log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
