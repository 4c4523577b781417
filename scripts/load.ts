// `npm run load -- [--sessions 200] [--duration 30] [--think-ms 1000-5000] [--warmup 10]
//   [--usage 200000] [--url http://127.0.0.1:PORT --pid PID]`: a bounded load generator on
// loopback. Without --url it creates a database, seeds it (users, and --usage records of 90 days'
// usage with a budget), starts the production build (`next start`, NEXT_DIST_DIR or
// .next; built first when sources changed) and stops both afterwards. N signed-in sessions each
// loop like a person at the console: a page view, chart CSV or ingestion batch, then a pause
// drawn uniformly from --think-ms before the next one (`--think-ms 0` sends back to back and
// measures saturation instead). The first --warmup seconds (JIT, pools) are run but not counted.
// Hard caps: 300 s, 2,000 sessions, 1,000,000 requests. Prints one JSON object.
// `--cpu-per-request N` instead sends N requests of each route one at a time (after N/5 unmeasured)
// and prints the server's CPU time per request, read from /proc: less at the mercy of the rest of
// the machine than latency under load, though a shared host still moves it by a fifth or so.
import fs from "node:fs";
import os from "node:os";
import { randomUUID } from "node:crypto";
import { createTestDatabase } from "../tests/support/test-database";
import { processCpuSeconds } from "./bench-cpu";

const flag = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const sessions = Math.min(2_000, Math.max(1, Number(flag("sessions", "200"))));
const durationS = Math.min(300, Math.max(1, Number(flag("duration", "30"))));
const warmupS = Math.min(60, Math.max(0, Number(flag("warmup", "10"))));
const [thinkMin, thinkMax] = (() => {
  const [low = "0", high = low] = flag("think-ms", "1000-5000").split("-");
  const min = Math.max(0, Number(low) || 0);
  return [min, Math.max(min, Number(high) || 0)];
})();
const MAX_REQUESTS = 1_000_000;
const cpuPerRequest = Math.min(10_000, Math.max(0, Math.floor(Number(flag("cpu-per-request", "0")))));

function assertLoopback(url: string): void {
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname))
    throw new Error("load only targets loopback URLs.");
}

function peakRssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function treePids(pid: number): number[] {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return [pid, ...children.flatMap((child) => treePids(Number(child)))];
  } catch {
    return [pid];
  }
}

/** User + system CPU seconds of the process tree so far. */
function treeCpuSeconds(pid: number): number {
  return treePids(pid).reduce((sum, each) => sum + (processCpuSeconds(each) ?? 0), 0);
}

// The server may be several processes (the wrapper and its workers): add up every process's peak,
// an upper bound of the tree's peak that never flatters a multi-process server.
function treePeakMb(pid: number): number | null {
  const peaks = treePids(pid)
    .map(peakRssMb)
    .filter((peak): peak is number => peak !== null);
  return peaks.length ? peaks.reduce((a, b) => a + b, 0) : null;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

async function main(): Promise<void> {
  const support = await import("../tests/integration/faults-support");
  let url = flag("url", "");
  let pid = Number(flag("pid", "0")) || null;
  let cleanup = async () => undefined as unknown;
  const database = url ? null : await createTestDatabase("pc_load");
  process.env.DATABASE_URL ??= database?.url ?? "";
  if (!process.env.DATABASE_URL)
    throw new Error("With --url, set DATABASE_URL to that console's database so sessions can be seeded.");
  process.env.CONSOLE_MASTER_KEYS ??= support.MASTER_KEYS;
  const { db, pool } = await import("../lib/db/client");
  const { hashPassword } = await import("../lib/auth/password");
  const { insertIngestToken } = await import("../lib/ingest/tokens");

  // Seed: users (one password hash shared, hashing 200 times would dominate), a priced model, a token.
  const suffix = randomUUID().slice(0, 8);
  const passwordHash = await hashPassword("load-password-123");
  const emails = Array.from({ length: sessions }, (_, i) => `load-${suffix}-${i}@example.test`);
  await db.user.createMany({
    data: emails.map((email, i) => ({
      email,
      name: `Load ${i}`,
      role: i % 10 === 0 ? "ADMIN" : i % 3 === 0 ? "FINANCE" : "VIEWER",
      passwordHash,
    })),
  });
  const provider = await db.provider.create({
    data: { name: `load-${suffix}`, kind: "openai", baseUrl: "https://api.openai.example/v1" },
    select: { id: true, name: true },
  });
  await db.model.create({
    data: {
      providerId: provider.id,
      modelId: "gpt-load",
      displayName: "Load",
      prices: { create: { inputPerMTok: "2.5", outputPerMTok: "10", effectiveFrom: new Date("2020-01-01T00:00:00Z") } },
    },
  });
  const { token } = await insertIngestToken({ name: `load-${suffix}`, createdById: null });

  // A database of its own gets 90 days of usage first (--usage, default 200,000 records, through
  // the ingestion path) and an overall budget, so the overview, spend charts and budget banners
  // read rollups of realistic size rather than empty tables.
  const usageRows = url ? 0 : Math.max(0, Math.floor(Number(flag("usage", "200000"))));
  if (usageRows > 0) {
    const { ingestSyntheticUsage } = await import("./synthetic-usage");
    const to = new Date();
    process.stderr.write(`[load] seeding ${usageRows} usage records over 90 days…\n`);
    await ingestSyntheticUsage(db, {
      rows: usageRows,
      from: new Date(to.getTime() - 90 * 86_400_000),
      to,
      seed: 11,
      prefix: `load-${suffix}`,
    });
    await db.budget.create({ data: { scope: "overall", monthlyAmount: "250000" } });
  }

  if (!url) {
    process.stderr.write("[load] building the console if sources changed…\n");
    support.ensureBuild();
    const server = await support.startConsole(process.env.DATABASE_URL, {
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? "10",
    });
    url = server.url;
    pid = server.child.pid ?? null;
    cleanup = () => server.stop();
  }
  assertLoopback(url);

  // Sign in every session (a few at a time: argon2 verification is deliberately slow).
  const jars: Map<string, string>[] = [];
  for (let i = 0; i < emails.length; i += 8) {
    const batch = await Promise.all(
      emails
        .slice(i, i + 8)
        .map((email, j) =>
          support.signIn(url, email, "load-password-123", `10.1.${Math.floor((i + j) / 250)}.${(i + j) % 250}`),
        ),
    );
    for (const { jar, signedIn } of batch) if (signedIn) jars.push(jar);
  }

  const routes: { name: string; weight: number; request: () => [string, RequestInit] }[] = [
    { name: "page /", weight: 3, request: () => ["/", {}] },
    { name: "page /providers", weight: 3, request: () => ["/providers", {}] },
    { name: "page /spend", weight: 3, request: () => ["/spend", {}] },
    { name: "chart spend csv", weight: 2, request: () => ["/api/usage/spend?period=day", {}] },
    {
      name: "ingest batch (10)",
      weight: 2,
      request: () => [
        "/api/v1/usage",
        {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            records: Array.from({ length: 10 }, () => ({
              id: randomUUID(),
              occurredAt: new Date().toISOString(),
              provider: provider.name,
              model: "gpt-load",
              inputTokens: 100,
              outputTokens: 20,
              latencyMs: 300 + Math.floor(Math.random() * 500),
              status: "ok",
            })),
          }),
        },
      ],
    },
  ];
  const wheel = routes.flatMap((route) => Array.from({ length: route.weight }, () => route));
  // One request as a session sends it (its cookie, redirects not followed, body read); its status.
  const send = async (route: (typeof routes)[number], cookie: string, signal?: AbortSignal) => {
    const [path, init] = route.request();
    const response = await fetch(`${url}${path}`, {
      ...init,
      headers: { cookie, ...(init.headers as Record<string, string> | undefined) },
      redirect: "manual",
      signal,
    });
    await response.arrayBuffer();
    return response.status;
  };
  // Figures depend on the CPU: the same run differs ~2.5x between two 2-core machines here.
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model };
  const finish = async () => {
    await cleanup();
    await db.$disconnect();
    await pool.end();
    await database?.drop();
  };

  if (cpuPerRequest > 0) {
    if (!pid) throw new Error("--cpu-per-request needs the server's --pid.");
    const cookie = support.cookieHeader(jars[0]!);
    const sendOk = async (route: (typeof routes)[number]) => {
      const status = await send(route, cookie);
      if (status !== 200) throw new Error(`${route.name} answered ${status}`);
    };
    const cpuMs: Record<string, number> = {};
    for (const route of routes) {
      for (let i = 0; i < Math.ceil(cpuPerRequest / 5); i += 1) await sendOk(route);
      const before = treeCpuSeconds(pid);
      for (let i = 0; i < cpuPerRequest; i += 1) await sendOk(route);
      cpuMs[route.name] = Math.round(((treeCpuSeconds(pid) - before) * 1000 * 10) / cpuPerRequest) / 10;
    }
    console.log(JSON.stringify({ url, requestsPerRoute: cpuPerRequest, serverCpuMsPerRequest: cpuMs, machine }));
    await finish();
    return;
  }
  const times = new Map<string, number[]>(routes.map((route) => [route.name, []]));
  const errors: Record<string, number> = {};
  let total = 0;
  const warmupEnds = Date.now() + warmupS * 1000;
  const deadline = warmupEnds + durationS * 1000;
  const started = warmupEnds;
  // A pause never runs past the deadline, so the measured window ends with it.
  const think = () =>
    new Promise((resolve) =>
      setTimeout(resolve, Math.min(deadline - Date.now(), thinkMin + Math.random() * (thinkMax - thinkMin))),
    );
  let peak = pid ? treePeakMb(pid) : null;
  const sampler = setInterval(() => {
    const now = pid ? treePeakMb(pid) : null;
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, 1000);

  process.stderr.write(
    `[load] ${jars.length} sessions signed in; ${warmupS} s warm-up, then ${durationS} s measured\n`,
  );
  await Promise.all(
    jars.map(async (jar) => {
      const cookie = support.cookieHeader(jar);
      // Sessions start spread over one think time, as people would, not all in the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * thinkMax));
      while (Date.now() < deadline && total < MAX_REQUESTS) {
        const route = wheel[Math.floor(Math.random() * wheel.length)]!;
        const counted = Date.now() >= warmupEnds;
        const t0 = performance.now();
        if (counted) total += 1;
        try {
          const status = await send(route, cookie, AbortSignal.timeout(30_000));
          if (counted && status !== 200)
            errors[`${route.name} ${status}`] = (errors[`${route.name} ${status}`] ?? 0) + 1;
        } catch (error) {
          const key = `${route.name} ${error instanceof Error ? error.name : "error"}`;
          if (counted) errors[key] = (errors[key] ?? 0) + 1;
        }
        if (counted) times.get(route.name)!.push(performance.now() - t0);
        if (thinkMax > 0) await think();
      }
    }),
  );
  clearInterval(sampler);
  const elapsed = (Date.now() - started) / 1000;
  const perRoute = Object.fromEntries(
    [...times].map(([name, list]) => {
      const sorted = [...list].sort((x, y) => x - y);
      return [
        name,
        {
          requests: sorted.length,
          p50: Math.round(percentile(sorted, 50)),
          p95: Math.round(percentile(sorted, 95)),
          p99: Math.round(percentile(sorted, 99)),
        },
      ];
    }),
  );
  const pages = [...times]
    .filter(([name]) => name.startsWith("page"))
    .flatMap(([, list]) => list)
    .sort((x, y) => x - y);
  console.log(
    JSON.stringify({
      url,
      sessions: jars.length,
      thinkMs: [thinkMin, thinkMax],
      warmupS,
      durationS: Math.round(elapsed),
      requests: total,
      requestsPerSecond: Math.round(total / elapsed),
      pageP95Ms: Math.round(percentile(pages, 95)),
      routesMs: perRoute,
      errors: Object.values(errors).reduce((a, b) => a + b, 0),
      errorsByRoute: errors,
      peakServerRssMb: peak ?? (pid ? treePeakMb(pid) : null),
      machine,
    }),
  );
  await finish();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
