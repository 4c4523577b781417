// The gateway process: `npm start` runs it beside Next.js (scripts/start.ts); tests and benchmarks
// start it on its own. Env: DATABASE_URL, CONSOLE_MASTER_KEYS, GATEWAY_PORT (default 3001),
// GATEWAY_HOST (default 0.0.0.0), optional REDIS_URL. Prints one "listening" line when ready.
import { startGateway } from "@/lib/gateway/server";
import { pool } from "@/lib/db/client";
import { flushUsage } from "@/lib/gateway/usage-writer";

const port = Number(process.env.GATEWAY_PORT ?? 3001);
const host = process.env.GATEWAY_HOST ?? "0.0.0.0";

async function main(): Promise<void> {
  const gateway = await startGateway({ port, host });
  process.stdout.write(`[gateway] listening on http://${host === "0.0.0.0" ? "localhost" : host}:${gateway.port}/v1\n`);
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
}

main().catch((error: unknown) => {
  process.stderr.write(`[gateway] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
