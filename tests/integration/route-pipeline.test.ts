import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { createIngestTokenSpec } from "@/lib/ingest/action-specs";
import { defineRoute, isPipelineRoute } from "@/lib/http/define-route";
import { POST as playground } from "@/app/api/playground/route";
import { POST as ingest } from "@/app/api/v1/usage/route";
import { projectPath, routeFiles } from "../support/action-spec-inventory";
import { dbFingerprint } from "../support/db-fingerprint";
import { createActor, sessionOf } from "../support/actors";

// The route-handler pipeline against a real database: who → capability → Origin and content type
// (state-changing) → body size → zod → handler, every refusal in one shape and before any handler
// code runs. The decoded session is stood in for (as in the other in-process route tests); the
// user row, role, token and database are real.
vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

const HOST = "console.test";
const SAME_ORIGIN = `http://${HOST}`;

let admin: Actor;
let viewer: Actor;
let ingestToken = "";

function signIn(actor: Actor | null) {
  session.mockResolvedValue(sessionOf(actor));
}

beforeAll(async () => {
  admin = await createActor("ADMIN");
  viewer = await createActor("VIEWER");
  const token = await executeAction(createIngestTokenSpec, admin, { name: `route-pipeline-${Date.now()}` });
  ingestToken = token.data!.token;
});
afterAll(() => signIn(null));

type Post = { origin?: string | null; contentType?: string | null; body?: BodyInit; authorization?: string };

function post(
  path: string,
  { origin = SAME_ORIGIN, contentType = "application/json", body = "{}", authorization }: Post = {},
): Request {
  const headers = new Headers({ host: HOST });
  if (origin !== null) headers.set("origin", origin);
  if (contentType !== null) headers.set("content-type", contentType);
  if (authorization) headers.set("authorization", authorization);
  return new Request(`${SAME_ORIGIN}${path}`, { method: "POST", headers, body });
}

// The one error shape: JSON { ok: false, message, fieldErrors? } with a request id, nothing else.
async function refusal(
  response: Response,
  status: number,
): Promise<{ ok: false; message: string; fieldErrors?: Record<string, string[]> }> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(body.fieldErrors ? ["fieldErrors", "message", "ok"] : ["message", "ok"]);
  expect(body).toMatchObject({ ok: false, message: expect.any(String) });
  return body as { ok: false; message: string; fieldErrors?: Record<string, string[]> };
}

const PLAYGROUND_CALL = JSON.stringify({
  providerId: "00000000-0000-4000-8000-000000000000",
  modelId: "00000000-0000-4000-8000-000000000000",
  prompt: "hi",
});

describe("POST /api/playground through the pipeline", () => {
  test("a same-site page on another port is refused 403, whichever content type it sends; nothing is written", async () => {
    signIn(admin);
    const before = await dbFingerprint();
    for (const contentType of ["application/json", "text/plain"]) {
      for (const origin of [`http://${HOST}:3001`, "http://evil.example", "null", null]) {
        const body = await refusal(
          await playground(post("/api/playground", { origin, contentType, body: PLAYGROUND_CALL })),
          403,
        );
        expect(body.message).toMatch(/did not come from the console's own pages/);
      }
    }
    expect(await dbFingerprint()).toBe(before);
  });

  test("a same-origin body that is not application/json is refused 415 (the CSRF-able types and no type at all)", async () => {
    signIn(admin);
    for (const contentType of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      null,
    ]) {
      const response = await playground(post("/api/playground", { contentType, body: PLAYGROUND_CALL }));
      expect(response.headers.get("accept-post")).toBe("application/json");
      expect((await refusal(response, 415)).message).toMatch(/JSON/);
    }
  });

  test("an oversize body is 413, malformed JSON 400, a schema failure 400 with field errors", async () => {
    signIn(admin);
    await refusal(
      await playground(post("/api/playground", { body: JSON.stringify({ prompt: "x".repeat(70 * 1024) }) })),
      413,
    );
    await refusal(await playground(post("/api/playground", { body: "{not json" })), 400);
    const invalid = await refusal(
      await playground(post("/api/playground", { body: JSON.stringify({ providerId: "nope", prompt: "" }) })),
      400,
    );
    expect(invalid.fieldErrors).toMatchObject({
      providerId: expect.any(Array),
      modelId: expect.any(Array),
      prompt: expect.any(Array),
    });
  });

  test("anonymous is 401 and a role without the capability 403, before origin or body are looked at", async () => {
    signIn(null);
    expect(
      (
        await refusal(
          await playground(post("/api/playground", { origin: "http://evil.example", contentType: "text/plain" })),
          401,
        )
      ).message,
    ).toMatch(/Sign in/);
    signIn(viewer);
    expect((await refusal(await playground(post("/api/playground", { body: PLAYGROUND_CALL })), 403)).message).toMatch(
      /role does not allow/,
    );
  });

  test("a same-origin JSON call reaches the handler (here: the named provider does not exist, 404)", async () => {
    signIn(admin);
    expect((await refusal(await playground(post("/api/playground", { body: PLAYGROUND_CALL })), 404)).message).toBe(
      "Provider was not found.",
    );
  });
});

describe("POST /api/v1/usage (token-authenticated) through the pipeline", () => {
  const bearer = () => `Bearer ${ingestToken}`;

  test("no origin check: a token is not sent by a browser on its own", async () => {
    signIn(null);
    const response = await ingest(
      post("/api/v1/usage", { origin: null, authorization: bearer(), body: JSON.stringify({ records: [] }) }),
    );
    // Past the Origin and content-type stages to the schema, which wants at least one record.
    expect((await refusal(response, 400)).fieldErrors).toHaveProperty("records");
  });

  test("JSON only (415), a missing or wrong token 401 with WWW-Authenticate", async () => {
    await refusal(
      await ingest(
        post("/api/v1/usage", {
          contentType: "text/plain",
          authorization: bearer(),
          body: JSON.stringify({ records: [] }),
        }),
      ),
      415,
    );
    for (const authorization of [undefined, "Bearer pcu_not-a-token"]) {
      const response = await ingest(post("/api/v1/usage", { authorization, body: JSON.stringify({ records: [] }) }));
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="usage"');
      await refusal(response, 401);
    }
  });
});

describe("defineRoute", () => {
  test("each check refuses before the handler runs; the handler sees parsed input and the actor", async () => {
    let ran = 0;
    const route = defineRoute({
      name: "test.probe",
      auth: { session: "providers:write" },
      body: z.object({ name: z.string().min(1, "Enter a name.") }),
      query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
      maxBodyBytes: 100,
      handler: ({ actor, body, query }) => {
        ran += 1;
        return Response.json({ ok: true, by: actor.email, name: body.name, page: query.page });
      },
    });
    signIn(admin);
    const refused: [Request, number][] = [
      [post("/x", { origin: `http://${HOST}:3001`, body: '{"name":"a"}' }), 403],
      [post("/x", { contentType: "text/plain", body: '{"name":"a"}' }), 415],
      [post("/x", { body: JSON.stringify({ name: "x".repeat(200) }) }), 413],
      [post("/x", { body: "{" }), 400],
      [post("/x", { body: '{"name":""}' }), 400],
      [post("/x?page=0", { body: '{"name":"a"}' }), 400],
    ];
    for (const [request, status] of refused) await refusal(await route(request), status);
    signIn(viewer);
    await refusal(await route(post("/x", { body: '{"name":"a"}' })), 403);
    expect(ran).toBe(0);

    signIn(admin);
    const ok = await route(post("/x?page=2", { body: '{"name":"a"}' }));
    expect(await ok.json()).toEqual({ ok: true, by: admin.email, name: "a", page: 2 });
    expect(ran).toBe(1);
  });

  test("a thrown unexpected error is a logged 500 in the same shape, with no detail", async () => {
    signIn(admin);
    const route = defineRoute({
      name: "test.throws",
      auth: { session: "providers:read" },
      handler: () => {
        throw new Error("db_password=hunter2 internal detail");
      },
    });
    const body = await refusal(await route(new Request(`${SAME_ORIGIN}/x`)), 500);
    expect(body.message).not.toContain("hunter2");
  });

  test("every handler of every route file under app/api (next-auth's own excepted) is built by defineRoute", async () => {
    const files = routeFiles().filter((file) => !file.includes("[...nextauth]"));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const mod = (await import(projectPath(file))) as Record<string, unknown>;
      const handlers = Object.entries(mod).filter(([name]) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(name));
      expect(handlers.length, file).toBeGreaterThan(0);
      for (const [name, handler] of handlers) expect(isPipelineRoute(handler), `${file} ${name}`).toBe(true);
    }
  });
});
