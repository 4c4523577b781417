import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The Docker image's start (CONSOLE_IMAGE=1, see Dockerfile): configured only at run time, and
// never building, generating secrets or starting the embedded PostgreSQL.
function imageStart(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-image-"));
  try {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts", "start"], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CONSOLE_IMAGE: "1",
        CONSOLE_DATA_DIR: dataDir,
        PORT: "1",
        ...env,
      } as Record<string, string | undefined> as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 120_000,
    });
    return { ...result, dataDirEntries: fs.readdirSync(dataDir) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("the image's start", () => {
  it("refuses to run without DATABASE_URL, NEXTAUTH_SECRET and CONSOLE_MASTER_KEYS, and creates nothing", () => {
    const run = imageStart({ NEXTAUTH_SECRET: "set" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "Set DATABASE_URL, CONSOLE_MASTER_KEYS: the image runs with the environment given at run time",
    );
    expect(run.stdout).not.toMatch(/embedded PostgreSQL|Generated/);
    expect(run.dataDirEntries).toEqual([]);
  });

  it("refuses to start without a build instead of building one, before touching the database", () => {
    const emptyDist = fs.mkdtempSync(path.join(process.cwd(), ".next-image-test-"));
    try {
      const run = imageStart({
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        NEXTAUTH_SECRET: "image-test-secret",
        CONSOLE_MASTER_KEYS: process.env.CONSOLE_MASTER_KEYS ?? "",
        NEXT_DIST_DIR: path.basename(emptyDist),
      });
      expect(run.stdout).not.toMatch(/migration|schema/i);
      expect(run.stdout).toContain(
        `No build in ${path.basename(emptyDist)}: the image is built with \`npm run build\``,
      );
      expect(run.stdout).not.toMatch(/Building the console|rebuilding/);
      expect(run.status).toBe(1);
      expect(fs.readdirSync(emptyDist)).toEqual([]);
      expect(run.dataDirEntries).toEqual([]);
    } finally {
      fs.rmSync(emptyDist, { recursive: true, force: true });
    }
  }, 120_000);
});
