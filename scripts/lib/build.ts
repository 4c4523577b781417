// Builds the console when there is no build yet or a source file is newer than the last one.
// Shared by `npm start`, the e2e server and the integration tests that run `next start`, so one
// `npm test` builds once into the same folder.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (entry === "lib" && child === "generated") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

export function distDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXT_DIST_DIR ?? ".next";
}

// What a running console needs and a build must not: nothing may connect to the database or read
// a secret on import, and building without them proves it every time (an image build has neither).
export const RUNTIME_ONLY_VARIABLES = [
  "DATABASE_URL",
  "NEXTAUTH_SECRET",
  "CONSOLE_MASTER_KEYS",
  "ADMIN_EMAIL",
  "ADMIN_PASSWORD",
] as const;

export function buildEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of RUNTIME_ONLY_VARIABLES) delete clean[name];
  return clean;
}

// Written beside BUILD_ID by buildIfNeeded: which build it made and which runtime variables that
// build saw (none), so a test can tell it from a plain `next build` run with a full environment.
export const BUILD_RECORD = "console-build.json";
export type BuildRecord = { buildId: string; runtimeVariablesSeen: string[] };

export function readBuildRecord(env: NodeJS.ProcessEnv = process.env): BuildRecord | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(distDir(env), BUILD_RECORD), "utf8")) as BuildRecord;
  } catch {
    return null;
  }
}

export function currentBuildId(env: NodeJS.ProcessEnv = process.env): string | null {
  const file = path.join(distDir(env), "BUILD_ID");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : null;
}

export function buildIsCurrent(env: NodeJS.ProcessEnv = process.env): boolean {
  const buildId = path.join(distDir(env), "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  return built > 0 && SOURCES.every((entry) => newestMtime(entry) <= built);
}

/**
 * Returns null when a current build exists or was made, else the reason it failed. With
 * `requireOwnBuild`, a current build that this function did not make (e.g. `npm run build` with
 * DATABASE_URL set) is made again, so the caller knows the build in use needed no runtime variable.
 */
export function buildIfNeeded(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  stdio: "inherit" | "pipe" = "inherit",
  options: { requireOwnBuild?: boolean } = {},
): string | null {
  const ownBuild = () => {
    const record = readBuildRecord(env);
    return record !== null && record.buildId === currentBuildId(env);
  };
  if (buildIsCurrent(env) && (!options.requireOwnBuild || ownBuild())) return null;
  log(
    fs.existsSync(path.join(distDir(env), "BUILD_ID"))
      ? "Sources changed since the last build: rebuilding (about a minute)…"
      : "Building the console (first start, about a minute)…",
  );
  const childEnv = buildEnvironment(env);
  const result = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], {
    stdio,
    env: childEnv,
    encoding: "utf8",
    timeout: 900_000,
  });
  if (result.status === 0) {
    const record: BuildRecord = {
      buildId: currentBuildId(env) ?? "",
      runtimeVariablesSeen: RUNTIME_ONLY_VARIABLES.filter((name) => childEnv[name] !== undefined),
    };
    fs.writeFileSync(path.join(distDir(env), BUILD_RECORD), `${JSON.stringify(record)}\n`);
    return null;
  }
  return `next build failed${stdio === "pipe" ? `: ${String(result.stderr || result.stdout).slice(-2000)}` : "; see the output above."}`;
}
