import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { currentBuildId, readBuildRecord } from "../../scripts/lib/build";
import { DIST_DIR, ensureBuild } from "./faults-support";

// An image build or a CI build step has no database and no secrets. ensureBuild is the build every
// next-start file of this suite runs on; it is made (or made again, when the current build came
// from elsewhere) with DATABASE_URL, NEXTAUTH_SECRET and CONSOLE_MASTER_KEYS removed.
describe("next build", () => {
  it("succeeds with no DATABASE_URL and no secrets, and is the build the next-start tests use", () => {
    // This worker has all three set (tests/support/integration-env.ts): the build must not see them.
    expect(process.env.DATABASE_URL).toMatch(/^postgres/);
    expect(process.env.CONSOLE_MASTER_KEYS).toBeTruthy();
    expect(() => ensureBuild()).not.toThrow();
    const buildId = currentBuildId({ ...process.env, NEXT_DIST_DIR: DIST_DIR });
    expect(buildId).toMatch(/^\S+$/);
    expect(readBuildRecord({ ...process.env, NEXT_DIST_DIR: DIST_DIR })).toEqual({ buildId, runtimeVariablesSeen: [] });
    // Route handlers and pages were compiled, not skipped.
    const routes = JSON.parse(fs.readFileSync(path.join(DIST_DIR, "app-path-routes-manifest.json"), "utf8")) as Record<
      string,
      string
    >;
    expect(Object.values(routes)).toEqual(
      expect.arrayContaining(["/api/auth/[...nextauth]", "/api/health", "/providers"]),
    );
  }, 900_000);
});
