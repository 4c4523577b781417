import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import fc from "fast-check";
import { getServerSession } from "next-auth";
import { executeAction } from "@/lib/actions/define-action";
import { can, ROLES, type Capability, type RoleName } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/session";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { loadInventory, projectPath, type AnySpec } from "../support/action-spec-inventory";
import { hostileObject } from "../support/arbitraries";
import { dbFingerprint } from "../support/db-fingerprint";
import { createActor, sessionOf } from "../support/actors";
import { EXPECTED_ACTION_CAPABILITY, EXPECTED_CAPABILITY_ROLES, expectedAllowed } from "../support/expected-access";
import { seedProvider } from "./test-calls-support";

// The global table: every mutating spec (found by walking lib/, so none can be missed) and every
// session route × ADMIN/FINANCE/VIEWER/anonymous. Allowed roles get past the role check (success
// or a validation/domain answer); the others are refused with the role/session message and the
// database fingerprint unchanged. Who is allowed comes from the hand-written tables in
// tests/support/expected-access.ts, never from the product's can(). Per-module role tests cover the
// success paths in depth.

vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

type Who = RoleName | "anonymous";
const WHO: Who[] = [...ROLES, "anonymous"];
const REFUSED = { anonymous: /session has ended/, role: /role does not allow/ };
// Would start a background run against every provider in the shared database: checked for the
// role gate only (the health-checks tests run it against the fake provider).
const ALLOWED_NOT_RUN = new Set(["healthChecks.testAll"]);

let specs: AnySpec[] = [];
let fake: FakeProvider;
const actors = {} as Record<RoleName, Actor>;
let ids: string[] = [];

beforeAll(async () => {
  specs = (await loadInventory()).specs;
  fake = await startFakeProvider();
  for (const role of ROLES) actors[role] = await createActor(role);
  const seeded = await seedProvider(actors.ADMIN, fake.url, "openai", { timeoutMs: 1_000 });
  ids = [seeded.providerId, seeded.modelId, seeded.keyId!];
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

// A few inputs per spec: empty, and schema-shaped ones that may or may not validate.
const inputsFor = (spec: AnySpec): unknown[] => [
  {},
  ...fc.sample(hostileObject(spec.schema, ids), { numRuns: 3, seed: 42 }),
];

describe("the pinned access rules", () => {
  test("the product's roles and can() agree with the pinned capability × role table, cell by cell", () => {
    expect([...ROLES]).toEqual(["ADMIN", "FINANCE", "VIEWER"]);
    const product: string[] = [];
    const pinned: string[] = [];
    for (const capability of Object.keys(EXPECTED_CAPABILITY_ROLES) as Capability[]) {
      for (const who of WHO) {
        const role = who === "anonymous" ? null : who;
        product.push(`${capability} × ${who}: ${can(role, capability) ? "allowed" : "refused"}`);
        pinned.push(`${capability} × ${who}: ${expectedAllowed(role, capability) ? "allowed" : "refused"}`);
      }
    }
    expect(product).toEqual(pinned);
  });

  test("every mutating spec is pinned to the capability it must demand, and no pinned spec is gone", () => {
    const actual = Object.fromEntries(specs.map((spec) => [spec.name, spec.capability]));
    expect(actual).toEqual(EXPECTED_ACTION_CAPABILITY);
  });
});

describe("every mutating action × every role", () => {
  test("the table is not empty and no spec is guarded by a read capability", () => {
    expect(specs.length).toBeGreaterThanOrEqual(25);
    // Write capabilities, and notifications:subscribe (finance changing only their own subscription).
    const readOnly = specs.filter((spec) => spec.capability.endsWith(":read")).map((spec) => spec.name);
    expect(readOnly, "a mutating spec guarded by a read capability").toEqual([]);
  });

  test("allowed roles pass the gate; refused roles get the refusal and change nothing", async () => {
    const table: string[] = [];
    for (const spec of specs) {
      for (const who of WHO) {
        const actor = who === "anonymous" ? null : actors[who];
        const allowed =
          who !== "anonymous" && expectedAllowed(who, EXPECTED_ACTION_CAPABILITY[spec.name] ?? spec.capability);
        table.push(`${spec.name} × ${who}: ${allowed ? "allowed" : "refused"}`);
        if (allowed && ALLOWED_NOT_RUN.has(spec.name)) continue;
        for (const input of inputsFor(spec)) {
          const before = await dbFingerprint();
          const result = await executeAction(spec, actor, input);
          if (allowed) {
            expect(result.message ?? "", `${spec.name} × ${who}`).not.toMatch(
              /session has ended|role does not allow|Something went wrong/,
            );
          } else {
            expect(result, `${spec.name} × ${who}`).toMatchObject({ ok: false });
            expect(result.message).toMatch(who === "anonymous" ? REFUSED.anonymous : REFUSED.role);
            expect(result.values, "a refusal echoes nothing").toBeUndefined();
            expect(await dbFingerprint(), `${spec.name} × ${who} changed the database`).toBe(before);
          }
        }
      }
    }
    expect(table.length).toBe(specs.length * WHO.length);
  }, 300_000); // about 80 s idle; more with the suite growing and other work on the machine
});

type RouteCase = { file: string; method: "GET" | "POST"; path: string; capability: Capability; body?: string };
const SESSION_ROUTES: RouteCase[] = [
  {
    file: "app/api/evals/runs/[id]/export/route.ts",
    method: "GET",
    path: "/api/evals/runs/00000000-0000-4000-8000-000000000000/export",
    capability: "evals:read",
  },
  {
    file: "app/api/playground/route.ts",
    method: "POST",
    path: "/api/playground",
    capability: "providers:write",
    body: "{}",
  },
  {
    file: "app/api/test-runs/[id]/route.ts",
    method: "GET",
    path: "/api/test-runs/00000000-0000-4000-8000-000000000000",
    capability: "providers:read",
  },
  { file: "app/api/usage/records/route.ts", method: "GET", path: "/api/usage/records", capability: "usage:read" },
  { file: "app/api/usage/spend/route.ts", method: "GET", path: "/api/usage/spend", capability: "spend:read" },
];

describe("every session route handler × every role", () => {
  test.each(SESSION_ROUTES.flatMap((route) => WHO.map((who) => [route.path, who, route] as const)))(
    "%s × %s",
    async (_path, who, route) => {
      const actor = who === "anonymous" ? null : actors[who];
      session.mockResolvedValue(sessionOf(actor));
      const mod = (await import(projectPath(route.file))) as Record<
        string,
        (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>
      >;
      const before = await dbFingerprint();
      // Sent as the console's own page sends it (same origin, JSON), so only the role decides.
      const headers =
        route.method === "POST"
          ? { host: "console.test", origin: "http://console.test", "content-type": "application/json" }
          : undefined;
      const response = await mod[route.method]!(
        new Request(`http://console.test${route.path}`, { method: route.method, headers, body: route.body }),
        {
          params: Promise.resolve({ id: route.path.split("/").at(-1)! }),
        },
      );
      const text = await response.text();
      if (who === "anonymous") expect(response.status).toBe(401);
      else if (!expectedAllowed(who, route.capability)) expect(response.status).toBe(403);
      else expect([200, 400, 404]).toContain(response.status);
      if (response.status >= 400) {
        expect(JSON.parse(text)).toMatchObject({ ok: false });
        expect(await dbFingerprint()).toBe(before);
      }
    },
  );
});
