import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { hostileSeed } from "../support/hostile-seed";
import fc from "fast-check";
import { getServerSession } from "next-auth";
import { executeAction } from "@/lib/actions/define-action";
import type { RoleName } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/session";
import { createIngestTokenSpec } from "@/lib/ingest/action-specs";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { projectPath, routeFiles } from "../support/action-spec-inventory";
import { HOSTILE_STRINGS, hostileFieldOf, hostileValue, pollutingObjects } from "../support/arbitraries";
import { dbFingerprint } from "../support/db-fingerprint";
import { createActor, sessionOf } from "../support/actors";
import { seedProvider } from "./test-calls-support";

// Every route handler under app/api with hostile query strings, headers and bodies, for every
// session: never a 500, never a throw, 401 JSON without a session, no rows from a refused call.

vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { file: string; method: "GET" | "POST"; path: string; needsSession: boolean; param?: string };

const ROUTES: Route[] = [
  {
    file: "app/api/evals/runs/[id]/export/route.ts",
    method: "GET",
    path: "/api/evals/runs/x/export",
    needsSession: true,
    param: "id",
  },
  { file: "app/api/fine-tuning/files/route.ts", method: "POST", path: "/api/fine-tuning/files", needsSession: true },
  {
    file: "app/api/fine-tuning/validate/route.ts",
    method: "POST",
    path: "/api/fine-tuning/validate",
    needsSession: true,
  },
  { file: "app/api/health/route.ts", method: "GET", path: "/api/health", needsSession: false },
  { file: "app/api/playground/route.ts", method: "POST", path: "/api/playground", needsSession: true },
  { file: "app/api/test-runs/[id]/route.ts", method: "GET", path: "/api/test-runs/x", needsSession: true, param: "id" },
  { file: "app/api/usage/records/route.ts", method: "GET", path: "/api/usage/records", needsSession: true },
  { file: "app/api/usage/spend/route.ts", method: "GET", path: "/api/usage/spend", needsSession: true },
  { file: "app/api/v1/usage/route.ts", method: "POST", path: "/api/v1/usage", needsSession: false },
];
// NextAuth's own handler reads next/headers, which only exists inside a Next request; its input
// (the credentials form) is driven through signInWithPassword in auth.test.ts and over HTTP in e2e.
const NOT_DRIVEN = ["app/api/auth/[...nextauth]/route.ts"];

const RUNS = Number(process.env.HOSTILE_RUNS ?? 30);
const QUERY_KEYS = [
  "from",
  "to",
  "provider",
  "model",
  "key",
  "tag",
  "by",
  "period",
  "groupBy",
  "providerId",
  "purpose",
  "fileName",
  "sha256",
  "__proto__",
  "constructor",
];

let fake: FakeProvider;
const actors = {} as Record<RoleName, Actor>;
let ids: string[] = [];
let ingestToken = "";
let tried = 0;
let unhandled = 0;
const onUnhandled = () => {
  unhandled += 1;
};

function signIn(actor: Actor | null) {
  session.mockResolvedValue(sessionOf(actor));
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  fake = await startFakeProvider();
  for (const role of ["ADMIN", "FINANCE", "VIEWER"] as const) actors[role] = await createActor(role);
  const seeded = await seedProvider(actors.ADMIN, fake.url, "openai", { timeoutMs: 1_000 });
  const token = await executeAction(createIngestTokenSpec, actors.ADMIN, { name: `hostile-routes-${Date.now()}` });
  ingestToken = token.data!.token;
  ids = [seeded.providerId, seeded.modelId, seeded.keyId!];
}, 60_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await fake?.close();
  console.log(JSON.stringify({ hostileRouteRequests: tried, unhandledRejections: unhandled }));
});

const validUsageRecord = () => ({
  id: `routes-${Math.random().toString(36).slice(2)}`,
  occurredAt: "2026-11-20T10:15:00Z",
  provider: ids[0],
  model: ids[1],
  keyId: ids[2],
  tag: "hostile",
  inputTokens: 10,
  cachedInputTokens: 2,
  outputTokens: 5,
  latencyMs: 100,
  ttftMs: 20,
  status: "ok",
  httpStatus: 200,
});

const text = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 30 }),
  fc.constantFrom("2026-01-01", "day", "provider", "USD"),
);
const safeJson = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return "{";
  }
};

const requestArb = fc.record({
  query: fc.dictionary(fc.constantFrom(...QUERY_KEYS), text, { maxKeys: 5 }),
  authorization: fc.option(
    fc.oneof(
      text,
      text.map((t) => `Bearer ${t}`),
      fc.constant("TOKEN"),
    ),
    { nil: undefined },
  ),
  contentType: fc.option(
    fc.constantFrom(
      "application/json",
      "text/plain",
      "multipart/form-data; boundary=x",
      "\u00ff",
      "application/octet-stream",
    ),
    { nil: undefined },
  ),
  contentLength: fc.option(fc.constantFrom("-1", "NaN", "99999999999", "0", "1e3"), { nil: undefined }),
  param: fc.oneof(text, fc.uuid()),
  body: fc.oneof(
    text,
    hostileValue.map(safeJson),
    fc.nat({ max: pollutingObjects().length - 1 }).map((index) => safeJson(pollutingObjects()[index])),
    fc
      .record({
        records: fc.array(
          fc.dictionary(
            fc.constantFrom("id", "provider", "model", "occurredAt", "inputTokens", "outputTokens", "__proto__"),
            hostileValue,
          ),
          { maxLength: 3 },
        ),
      })
      .map(safeJson),
    // A valid usage record (real provider and model) with one hostile field, beside a valid one: reaches the refinements.
    fc
      .constant(null)
      .chain(() => hostileFieldOf(validUsageRecord()))
      .map((variant) => safeJson({ records: [validUsageRecord(), variant.input] })),
    fc
      .record({
        providerId: fc.oneof(
          fc.constant(0).map(() => ids[0]!),
          fc.uuid(),
          text,
        ),
        modelId: fc.oneof(
          fc.constant(1).map(() => ids[1]!),
          text,
        ),
        prompt: text,
        maxOutputTokens: hostileValue,
      })
      .map(safeJson),
    fc.constant(undefined),
  ),
});

type RequestInput = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function buildRequest(route: Route, input: RequestInput): Request {
  const url = new URL(`http://console.test${route.path}`);
  for (const [key, value] of Object.entries(input.query)) url.searchParams.set(key, value);
  // The console's own origin, so hostile bodies get past the Origin check to the parsers behind it.
  const headers = new Headers({ host: "console.test", origin: "http://console.test" });
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    try {
      headers.set(name, value);
    } catch {
      // Not a legal header value: no HTTP client can send it, so no server receives it.
    }
  };
  set("authorization", input.authorization === "TOKEN" ? `Bearer ${ingestToken}` : input.authorization);
  set("content-type", input.contentType);
  set("content-length", input.contentLength);
  const body = route.method === "POST" ? input.body : undefined;
  return new Request(url, { method: route.method, headers, body });
}

describe("route handlers under hostile requests", () => {
  test("every route file is driven (or named as not driven, with the reason)", () => {
    expect([...ROUTES.map((route) => route.file), ...NOT_DRIVEN].sort()).toEqual(routeFiles());
  });

  test.each(ROUTES.map((route) => [route.file, route] as const))(
    "%s: no 500, no throw, 401 JSON without a session, no rows from a refusal",
    async (_file, route) => {
      const mod = (await import(projectPath(route.file))) as Record<string, Handler>;
      const handler = mod[route.method]!;
      for (const role of [null, "ADMIN", "FINANCE", "VIEWER"] as const) {
        signIn(role ? actors[role] : null);
        await fc.assert(
          fc.asyncProperty(requestArb, async (input) => {
            const before = await dbFingerprint();
            const response = await handler(buildRequest(route, input), {
              params: Promise.resolve({ [route.param ?? "id"]: input.param }),
            });
            const body = await response.text();
            tried += 1;
            const allowed = route.file.includes("/health/") ? [200, 503] : [];
            if (!allowed.includes(response.status))
              expect(response.status, `${route.path} as ${role ?? "anonymous"}: ${body.slice(0, 300)}`).toBeLessThan(
                500,
              );
            if (route.needsSession && !role) {
              expect(response.status).toBe(401);
              expect(JSON.parse(body)).toMatchObject({ ok: false });
            }
            if (response.status >= 400)
              expect(await dbFingerprint(), `${route.path} wrote rows on a refused request`).toBe(before);
          }),
          { numRuns: RUNS, seed: hostileSeed() },
        );
      }
      expect(unhandled).toBe(0);
    },
    120_000,
  );
});
