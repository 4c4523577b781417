// A second console for the SSO spec: `next start` from the build the e2e server made (same
// NEXT_DIST_DIR and database), with single sign-on pointed at a test IdP the spec started. The
// shared e2e server keeps the default sign-in, so the other specs see no SSO button.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { E2E_MASTER_KEYS } from "./master-keys";
import { e2eScratchDir } from "./paths";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type StartedConsole = {
  url: string;
  log: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
};

/** Starts `next start` on `port` with `env` on top of the e2e settings; does not wait for it. */
export function spawnConsole(port: number, env: Record<string, string>): StartedConsole {
  const { url: databaseUrl } = JSON.parse(fs.readFileSync(path.join(e2eScratchDir(), "database.json"), "utf8")) as {
    url: string;
  };
  const url = `http://localhost:${port}`;
  const child: ChildProcess = spawn(
    path.resolve("node_modules/.bin/next"),
    ["start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: "e2e-sso-secret-not-for-production",
        NEXTAUTH_URL: url,
        CONSOLE_MASTER_KEYS: E2E_MASTER_KEYS,
        HEALTH_CHECK_SCHEDULER: "off",
        ...env,
      },
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url,
    log: () => output,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function waitUntilUp(started: StartedConsole): Promise<void> {
  const deadline = Date.now() + 90_000;
  let exitCode: number | null | undefined;
  void started.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`next start exited (${exitCode}):\n${started.log()}`);
    const up = await fetch(`${started.url}/api/health`).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`next start did not answer within 90 s:\n${started.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
