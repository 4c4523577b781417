// The same-site CSRF the outside probe ran, over real HTTP against `next start`: a page on another
// port of the console's own host posts a text/plain "form" to /api/playground with the admin's
// cookie. Route handlers skip proxy.ts, so this proves the handler's own pipeline refuses it (with
// its request id and the /api security headers) and that no call was billed.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuild } from "./faults-support";
import { startIsolatedConsole, type IsolatedConsole } from "./isolated-console";

ensureBuild();

let server: IsolatedConsole;
let otherPort = "";

beforeAll(async () => {
  server = await startIsolatedConsole("route-pipeline-http", "ADMIN");
  const port = Number(new URL(server.url).port);
  otherPort = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
}, 120_000);
afterAll(async () => server?.stop());

const CALL = JSON.stringify({
  providerId: "00000000-0000-4000-8000-000000000000",
  modelId: "00000000-0000-4000-8000-000000000000",
  prompt: "hi",
});

const post = (headers: Record<string, string>, body = CALL) =>
  fetch(`${server.url}/api/playground`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: server.cookie, ...headers },
    body,
  });

async function expectRefusal(response: Response, status: number, message: RegExp) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(JSON.parse(text)).toEqual({ ok: false, message: expect.stringMatching(message) });
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
}

describe("POST /api/playground over HTTP with the admin's session cookie", () => {
  test("from another port of the same host: 403, as text/plain (the probe's form) and as JSON", async () => {
    await expectRefusal(
      await post({ origin: otherPort, "content-type": "text/plain;charset=UTF-8" }),
      403,
      /did not come from the console's own pages/,
    );
    await expectRefusal(
      await post({ origin: otherPort, "content-type": "application/json" }),
      403,
      /did not come from the console's own pages/,
    );
    await expectRefusal(
      await post({ "content-type": "application/json" }),
      403,
      /did not come from the console's own pages/,
    );
  });

  test("from the console's own origin: text/plain 415, malformed JSON 400, a valid call reaches the handler", async () => {
    await expectRefusal(await post({ origin: server.url, "content-type": "text/plain;charset=UTF-8" }), 415, /JSON/);
    await expectRefusal(
      await post({ origin: server.url, "content-type": "application/json" }, "{nope"),
      400,
      /not valid JSON/,
    );
    // The control: the same body, as the console's own page sends it, gets past every check.
    await expectRefusal(
      await post({ origin: server.url, "content-type": "application/json" }),
      404,
      /Provider was not found/,
    );
  });

  test("no refused request ran a call or wrote a usage record", async () => {
    expect(await server.prisma.usageRecord.count()).toBe(0);
    expect(server.log()).not.toMatch(/route failed/);
  });
});
