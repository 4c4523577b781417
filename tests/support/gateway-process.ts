import { spawn, type ChildProcess } from "node:child_process";
import { gatewayBundle, gatewayNodeArgs } from "../../scripts/lib/gateway-bundle";

// A real gateway process (the scripts/gateway.ts bundle, as `npm start` runs it) on a free port, for tests
// that need separate instances, a kill, or a graceful stop.

export type GatewayProcess = {
  url: string;
  /** The OpenAI-style base URL, http://127.0.0.1:<port>/v1. */
  baseUrl: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

// Node on the gateway bundle (what `npm start` runs), not the tsx CLI: the CLI runs the script in
// a second process and relays signals to it, and when the script has not acknowledged a SIGTERM within
// 2 × 30 ms (a busy event loop under load) the CLI SIGKILLs it, turning a graceful stop into a
// crash that loses queued usage records (gateway-crash.test.ts caught it: exit 143).
let bundle: string | undefined;

/** `nodeArgs` go to node before the script, e.g. --cpu-prof, which NODE_OPTIONS refuses. */
export async function startGatewayProcess(
  env: Record<string, string | undefined> = {},
  nodeArgs: readonly string[] = [],
): Promise<GatewayProcess> {
  // Built once per test process: a process starting several gateways runs the same sources.
  bundle ??= gatewayBundle();
  const args = gatewayNodeArgs(bundle, nodeArgs);
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      GATEWAY_PORT: "0",
      GATEWAY_HOST: "127.0.0.1",
      NODE_ENV: "production",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    // A loaded machine can take a while to compile and start it; a start that never comes is killed.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`gateway did not start:\n${output}`));
    }, 90_000);
    const onData = () => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    child,
    output: () => output,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
