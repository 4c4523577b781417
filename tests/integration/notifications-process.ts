import { spawn, type ChildProcess } from "node:child_process";

// The notification worker as its own process (scripts/notifications-worker.ts), for tests that
// kill it mid-delivery or run two at once. Node with tsx's loader, as gateway-process.ts explains.

export type WorkerProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

export function startWorkerProcess(args: string[] = [], env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/notifications-worker.ts", ...args],
    { env: { ...process.env, NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}
