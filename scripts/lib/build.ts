// Builds the console when there is no build yet or a source file is newer than the last one.
// Shared by `npm start`, the e2e server and the integration tests that run `next start`, so one
// `npm test` builds once into the same folder.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs"];

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

export function buildIsCurrent(env: NodeJS.ProcessEnv = process.env): boolean {
  const buildId = path.join(distDir(env), "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  return built > 0 && SOURCES.every((entry) => newestMtime(entry) <= built);
}

/** Returns null when a current build exists or was made, else the reason it failed. */
export function buildIfNeeded(env: NodeJS.ProcessEnv, log: (line: string) => void, stdio: "inherit" | "pipe" = "inherit"): string | null {
  if (buildIsCurrent(env)) return null;
  log(fs.existsSync(path.join(distDir(env), "BUILD_ID")) ? "Sources changed since the last build: rebuilding (about a minute)…" : "Building the console (first start, about a minute)…");
  const result = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio, env: { ...env, NEXT_TELEMETRY_DISABLED: "1" }, encoding: "utf8", timeout: 900_000 });
  if (result.status === 0) return null;
  return `next build failed${stdio === "pipe" ? `: ${String(result.stderr || result.stdout).slice(-2000)}` : "; see the output above."}`;
}
