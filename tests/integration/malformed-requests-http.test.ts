// Requests Next.js itself fails on with a bare 500 ("Internal Server Error", no security headers,
// a stack in the log), over real HTTP against `next start`: a path segment that is not valid
// percent-encoding, an RSC request with a router-state header that does not parse, a TRACE, and
// next-auth's plain-text refusals of unknown actions. Each must be a 4xx in the one error shape.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuild } from "./faults-support";
import { startIsolatedConsole, type IsolatedConsole } from "./isolated-console";

ensureBuild();

let server: IsolatedConsole;

beforeAll(async () => {
  server = await startIsolatedConsole("malformed_http", "ADMIN");
}, 120_000);
afterAll(async () => server?.stop());

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

// node:http rather than fetch: fetch refuses to send TRACE at all.
function send(path: string, method = "GET", headers: Record<string, string> = {}): Promise<Answer> {
  const target = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        headers: { cookie: server.cookie, ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

// Next answers an RSC request without its _rsc parameter with a redirect that adds it; a client follows it.
async function rsc(path: string, state: string): Promise<Answer> {
  const headers = { rsc: "1", "next-router-state-tree": state };
  const first = await send(path, "GET", headers);
  const location = first.headers.location;
  return first.status === 307 && location?.includes("_rsc") ? send(location, "GET", headers) : first;
}

function expectOneShape(answer: Answer, status: number) {
  expect(answer.status, answer.text.slice(0, 200)).toBe(status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  expect(JSON.parse(answer.text)).toEqual({ ok: false, message: expect.any(String) });
  expect(answer.headers["x-content-type-options"]).toBe("nosniff");
}

describe("malformed requests get a 4xx in the one error shape, not Next's bare 500", () => {
  test("a path segment that is not valid percent-encoding", async () => {
    for (const path of ["/providers/%E0%A4%A", "/users/%FF", "/providers/%C0%AF/edit"]) {
      const answer = await send(path);
      expectOneShape(answer, 400);
      expect(answer.headers["x-request-id"], path).toMatch(/^[0-9a-f-]{36}$/);
    }
    // The control: a well-formed unknown id is the page's own 404.
    expect((await send("/providers/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  test("an RSC request whose router state does not parse", async () => {
    for (const state of ["garbage", "%E0%A4%A", encodeURIComponent('["",{},null,null,true]')]) {
      expectOneShape(await rsc("/users", state), 400);
    }
    // The control: the tree the client router sends navigating from the overview.
    const real = await rsc(
      "/users",
      encodeURIComponent(JSON.stringify(["", { children: ["(console)", { children: ["__PAGE__", {}] }] }, null, null])),
    );
    expect(real.status).toBe(200);
    expect(real.headers["content-type"]).toMatch(/^text\/x-component/);
  });

  test("TRACE, and next-auth's unknown actions", async () => {
    const trace = await send("/", "TRACE");
    expectOneShape(trace, 405);
    expect(trace.headers.allow).toBeTruthy();
    expectOneShape(await send("/api/auth/nope"), 400);
    expectOneShape(
      await send("/api/auth/callback/nope", "POST", { "content-type": "application/x-www-form-urlencoded" }),
      400,
    );
  });

  test("nothing above logged a server error", () => {
    expect(server.alive()).toBe(true);
    expect(server.log()).not.toMatch(/⨯|TypeError|could not be parsed|URIError/);
  });
});
