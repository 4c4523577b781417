// The gateway process: `npm start` runs it beside Next.js (scripts/start.ts); tests and benchmarks
// start it on its own. Env: DATABASE_URL, CONSOLE_MASTER_KEYS, GATEWAY_PORT (default 3001),
// GATEWAY_HOST (default 0.0.0.0), optional REDIS_URL, GATEWAY_WORKERS (default 1). Prints one
// "listening" line when ready.
//
// One Node.js event loop serves about one core's worth of requests. With GATEWAY_WORKERS=N the
// process forks N workers sharing the port (node:cluster): everything that must hold for the whole
// deployment already lives in PostgreSQL or Redis, so a worker is just another instance, and a
// SIGTERM to this process stops every worker gracefully (each writes its usage records first).
import cluster from "node:cluster";
import { startGateway } from "@/lib/gateway/server";
import { pool } from "@/lib/db/client";
import { flushUsage } from "@/lib/gateway/usage-writer";

const port = Number(process.env.GATEWAY_PORT ?? 3001);
const host = process.env.GATEWAY_HOST ?? "0.0.0.0";
const workers = Math.max(1, Math.floor(Number(process.env.GATEWAY_WORKERS ?? 1)) || 1);

const listeningLine = (bound: number) =>
  `[gateway] listening on http://${host === "0.0.0.0" ? "localhost" : host}:${bound}/v1\n`;

async function serve(): Promise<void> {
  const gateway = await startGateway({ port, host });
  if (cluster.isWorker) process.send?.({ listening: gateway.port });
  else process.stdout.write(listeningLine(gateway.port));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.stop();
    await flushUsage();
    await pool.end().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  // The primary is gone (killed): nothing will route requests here again.
  if (cluster.isWorker) process.on("disconnect", () => void stop());
}

function supervise(): void {
  let stopping = false;
  let announced = false;
  let listening = 0;
  const start = () => {
    const worker = cluster.fork();
    worker.on("message", (message: { listening?: number }) => {
      if (typeof message?.listening !== "number") return;
      listening += 1;
      // Ready once every worker listens (they share the port), so no early caller meets only one.
      if (announced || listening < workers) return;
      announced = true;
      process.stdout.write(listeningLine(message.listening));
    });
  };
  for (let index = 0; index < workers; index += 1) start();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!announced) {
      // A worker that cannot start (no database, a bad setting) would only fail again.
      process.stderr.write(`[gateway] worker ${worker.process.pid} failed to start (${signal ?? code})\n`);
      stop();
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`[gateway] worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    start();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (workers > 1 && cluster.isPrimary) supervise();
else
  serve().catch((error: unknown) => {
    process.stderr.write(`[gateway] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
