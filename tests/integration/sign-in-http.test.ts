// Sign-in, setup and request hardening over real HTTP against `next start` on a fresh database
// (setup needs one with no users), with the default configuration: no trusted proxy. Requests
// leave from different loopback addresses (127.0.0.x) so the server sees different socket
// addresses, which is what the limits must count, whatever X-Forwarded-For claims.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { DIST_DIR, ensureBuild, startConsole, type ConsoleProcess } from "./faults-support";

ensureBuild();

const PASSWORD = "first admin passphrase";
const SETUP_DONE = "Setup is already complete. Sign in instead.";
const ORIGIN_REFUSED = "This request did not come from the console's own pages.";

let database: TestDatabase | undefined;
let server: ConsoleProcess | undefined;
let sql: pg.Client | undefined;

beforeAll(async () => {
  database = await createTestDatabase("pc_signin_http");
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  // No TRUSTED_PROXY_HOPS: the default must trust no forwarding header.
  server = await startConsole(database.url, { TRUSTED_PROXY_HOPS: "" });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await sql?.end();
  await database?.drop();
}, 60_000);

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** One HTTP request from a chosen loopback source address. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; from?: string } = {},
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        headers: options.headers,
        localAddress: options.from ?? "127.0.0.1",
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
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

const userCount = async () => Number((await sql!.query<{ n: string }>("SELECT count(*) AS n FROM users")).rows[0]!.n);

function setupActionId(): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(DIST_DIR, "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  const ids = Object.entries(manifest.node)
    .filter(([, entry]) => "app/setup/page" in entry.workers && entry.exportedName === "setupAction")
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** The setup form as the page's JavaScript posts it (React's encodeReply of `[undefined, formData]`). */
async function postSetup(
  fields: { email: string; confirm?: string },
  options: { from?: string; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const form = new FormData();
  form.set("_1_email", fields.email);
  form.set("_1_name", "First Admin");
  form.set("_1_password", PASSWORD);
  form.set("_1_confirmPassword", fields.confirm ?? PASSWORD);
  form.set("0", '["$undefined","$K1"]');
  const encoded = new Request("http://encode.invalid/", { method: "POST", body: form });
  const origin = options.origin === undefined ? server!.url : options.origin;
  return send(`${server!.url}/setup`, {
    method: "POST",
    from: options.from,
    body: Buffer.from(await encoded.arrayBuffer()),
    headers: {
      "content-type": encoded.headers.get("content-type")!,
      "next-action": setupActionId(),
      accept: "text/x-component",
      ...(origin ? { origin } : {}),
      ...options.headers,
    },
  });
}

function cookiesOf(answer: Answer, jar: Map<string, string>): void {
  for (const header of answer.headers["set-cookie"] ?? []) {
    const pair = header.split(";")[0] ?? "";
    const index = pair.indexOf("=");
    jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

async function signIn(
  email: string,
  password: string,
  from: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const jar = new Map<string, string>();
  const csrf = await send(`${server!.url}/api/auth/csrf`, { from });
  cookiesOf(csrf, jar);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const answer = await send(`${server!.url}/api/auth/callback/credentials`, {
    method: "POST",
    from,
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar), ...headers },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", ...extra }).toString(),
  });
  cookiesOf(answer, jar);
  return { answer, jar, signedIn: [...jar.keys()].some((name) => name.endsWith("next-auth.session-token")) };
}

describe("setup and sign-in over HTTP, no proxy configured", () => {
  test("a cross-origin server action is answered 403 before Next runs it, a forged X-Forwarded-Host included", async () => {
    for (const headers of [{}, { "x-forwarded-host": "evil.example" }] as Record<string, string>[]) {
      const answer = await postSetup({ email: "evil@example.test" }, { origin: "https://evil.example", headers });
      expect(answer.status, answer.text.slice(0, 200)).toBe(403);
      expect(JSON.parse(answer.text)).toEqual({ ok: false, message: expect.stringContaining(ORIGIN_REFUSED) });
    }
    // An opaque Origin, and none at all: also refused with 403.
    expect((await postSetup({ email: "null@example.test" }, { origin: "null" })).status).toBe(403);
    expect((await postSetup({ email: "bare@example.test" }, { origin: null })).status).toBe(403);
    expect(await userCount()).toBe(0);
    expect(server!.log()).not.toContain("Invalid Server Actions request");
  });

  test("a setup posted through a DNS-rebound name (Host and Origin both the attacker's domain) is refused", async () => {
    const port = new URL(server!.url).port;
    for (const name of ["rebind.example", "127.0.0.1.rebind.example", "localhost.rebind.example"]) {
      const host = `${name}:${port}`;
      const answer = await postSetup(
        { email: `rebound@${name}` },
        { from: "127.0.0.13", origin: `http://${host}`, headers: { host } },
      );
      expect(answer.status, `${name}: ${answer.text.slice(0, 200)}`).toBe(403);
      expect(JSON.parse(answer.text)).toEqual({ ok: false, message: expect.stringContaining("its own address") });
    }
    expect(await userCount()).toBe(0);
  });

  test("setup posts are limited per socket address, whatever X-Forwarded-For says", async () => {
    const from = "127.0.0.3";
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const answer = await postSetup(
        { email: `spam-${attempt}@example.test`, confirm: "does not match" },
        { from, headers: { "x-forwarded-for": `198.51.100.${attempt}` } },
      );
      expect(answer.status).toBe(200);
      expect(answer.text).toContain("The passwords do not match.");
    }
    const refused = await postSetup(
      { email: "spam-valid@example.test" },
      { from, headers: { "x-forwarded-for": "198.51.100.99" } },
    );
    expect(refused.text).toMatch(/Too many attempts, try again in \d+ s\./);
    expect(await userCount()).toBe(0);
    const keys = (await sql!.query<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'setup:%'")).rows.map(
      (row) => row.key,
    );
    expect(keys).toEqual(["setup:ip:127.0.0.3"]);
  });

  test("two concurrent setups create exactly one admin; a direct post afterwards is refused", async () => {
    const answers = await Promise.all([
      postSetup({ email: "first-a@example.test" }, { from: "127.0.0.1" }),
      postSetup({ email: "first-b@example.test" }, { from: "127.0.0.4" }),
    ]);
    expect(answers.map((answer) => answer.status).every((status) => status < 500)).toBe(true);
    const users = (await sql!.query<{ email: string; role: string }>("SELECT email, role FROM users")).rows;
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe("ADMIN");
    expect(answers.filter((answer) => answer.text.includes(SETUP_DONE))).toHaveLength(1);

    const late = await postSetup({ email: "late@example.test" }, { from: "127.0.0.5" });
    expect(late.status).toBe(200);
    expect(late.text).toContain(SETUP_DONE);
    expect(await userCount()).toBe(1);
  });

  test("sign-in limits count the socket address: forged X-Forwarded-For neither dodges them nor aims them at the owner", async () => {
    const { email } = (await sql!.query<{ email: string }>("SELECT email FROM users")).rows[0]!;
    // An attacker at 127.0.0.6 claims a new address on every guess; all five count against 127.0.0.6.
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(
        (await signIn(email, `wrong ${attempt}`, "127.0.0.6", {}, { "x-forwarded-for": `203.0.113.${attempt}` }))
          .signedIn,
      ).toBe(false);
    }
    expect((await signIn(email, PASSWORD, "127.0.0.6", {}, { "x-forwarded-for": "203.0.113.200" })).signedIn).toBe(
      false,
    );
    // The attacker names the owner's address (127.0.0.7) in X-Forwarded-For: nothing counts against it.
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await signIn(email, `aimed ${attempt}`, "127.0.0.8", {}, { "x-forwarded-for": "127.0.0.7" });
    }
    expect((await signIn(email, PASSWORD, "127.0.0.7")).signedIn).toBe(true);
    const keys = (
      await sql!.query<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'signin:pair:%' ORDER BY key")
    ).rows.map((row) => row.key);
    expect(keys).toEqual([`signin:pair:127.0.0.6|${email}`, `signin:pair:127.0.0.8|${email}`]);
  });

  test("the sign-in form posts, so a submit before hydration never puts the password in a URL", async () => {
    const login = await send(`${server!.url}/login?callbackUrl=%2Fspend`);
    expect(login.status).toBe(200);
    const forms = [...login.text.matchAll(/<form\b[^>]*>/g)].map((match) => match[0]);
    expect(forms).toHaveLength(1);
    // A form without method is a GET: the browser would navigate to /login?email=…&password=….
    expect(forms[0]).toMatch(/\smethod="post"/i);
    // What the browser then sends: a plain form POST to the page, answered with the sign-in page again.
    const posted = await send(`${server!.url}/login?callbackUrl=%2Fspend`, {
      method: "POST",
      headers: { origin: server!.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "someone@example.test", password: "typed-before-hydration" }).toString(),
    });
    expect(posted.status).toBe(200);
    expect(posted.text).not.toContain("typed-before-hydration");
  });

  test("after sign-in the browser goes only to the console's own paths", async () => {
    const { email } = (await sql!.query<{ email: string }>("SELECT email FROM users")).rows[0]!;
    // The target the page hands the sign-in form, as it appears in the page's RSC payload (the
    // requested URL itself appears there too, as data).
    const formTarget = async (query: string) => {
      const login = await send(`${server!.url}/login?${query}`);
      expect(login.status).toBe(200);
      return [...login.text.matchAll(/\{\\"callbackUrl\\":\\"([^"]*?)\\"\}/g)].map((match) => match[1]);
    };
    for (const value of [
      "/%5Cevil.example/",
      "%2F%5Cevil.example",
      "//evil.example",
      "https://evil.example/",
      "/%09/evil.example",
      "/..//evil.example",
      "/%2e%2e//evil.example/",
      "/.//evil.example",
    ]) {
      expect(await formTarget(`callbackUrl=${value}`), value).toEqual(["/"]);
    }
    // Real paths are kept (so the check is not simply always "/").
    expect(await formTarget("callbackUrl=%2Fproviders%3Ftab%3Dkeys")).toEqual(["/providers?tab=keys"]);

    // next-auth's own redirect after the credentials callback.
    for (const callbackUrl of ["/\\evil.example/", "https://evil.example/", "//evil.example/", "/\t/evil.example/"]) {
      const { answer, signedIn } = await signIn(email, PASSWORD, "127.0.0.9", { callbackUrl });
      expect(signedIn).toBe(true);
      const { url } = JSON.parse(answer.text) as { url: string };
      expect(url, callbackUrl).toBe(server!.url);
    }
    const kept = await signIn(email, PASSWORD, "127.0.0.9", { callbackUrl: "/spend?period=month" });
    expect((JSON.parse(kept.answer.text) as { url: string }).url).toBe(`${server!.url}/spend?period=month`);
  });

  test("next-auth's own sign-in and sign-out POSTs from another origin are refused, a tossed CSRF cookie included", async () => {
    const { email } = (await sql!.query<{ email: string }>("SELECT email FROM users")).rows[0]!;
    const port = Number(new URL(server!.url).port);
    // A page on another port of the same host: cookies ignore ports, so it can replace the
    // victim's next-auth CSRF cookie with a pair it fetched itself, and the double-submit check passes.
    const otherPort = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
    for (const origin of [otherPort, "null", "https://evil.example"]) {
      const refused = await signIn(email, PASSWORD, "127.0.0.11", {}, { origin });
      expect(refused.answer.status, origin).toBe(403);
      expect(JSON.parse(refused.answer.text), origin).toEqual({
        ok: false,
        message: expect.stringContaining(ORIGIN_REFUSED),
      });
      expect(refused.signedIn, origin).toBe(false);
    }
    const victim = await signIn(email, PASSWORD, "127.0.0.11", {}, { origin: server!.url });
    expect(victim.signedIn).toBe(true);
    const attacker = new Map<string, string>();
    const csrf = await send(`${server!.url}/api/auth/csrf`, { from: "127.0.0.12" });
    cookiesOf(csrf, attacker);
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    const tossed = new Map([...victim.jar, ...attacker]);
    const signOut = await send(`${server!.url}/api/auth/signout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(tossed), origin: otherPort },
      body: new URLSearchParams({ csrfToken }).toString(),
    });
    expect(signOut.status).toBe(403);
    const session = await send(`${server!.url}/api/auth/session`, { headers: { cookie: cookieHeader(victim.jar) } });
    expect(JSON.parse(session.text)).toMatchObject({ user: { email } });
  });

  test("a signed-in user's cross-origin server action on a console page is answered 403 too", async () => {
    const { email } = (await sql!.query<{ email: string }>("SELECT email FROM users")).rows[0]!;
    const { jar } = await signIn(email, PASSWORD, "127.0.0.10");
    const answer = await send(`${server!.url}/providers/new`, {
      method: "POST",
      headers: {
        cookie: cookieHeader(jar),
        origin: "https://evil.example",
        "next-action": "0".repeat(42),
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
      },
      body: "[]",
    });
    expect(answer.status).toBe(403);
    expect(server!.alive()).toBe(true);
    expect(server!.log()).not.toMatch(/⨯|Invalid Server Actions request/);
  });
});
