// Hostile bodies posted to every server action of a real `next start`, the way an attacker (or a
// fuzzer nobody on the team wrote) would: malformed and truncated encodings, references to chunks
// that are not there, deep nesting, pollution keys, oversized bodies, broken multipart. The
// in-process property tests (hostile-input.test.ts) cover what the actions do with decoded input;
// this one covers the decoding Next does before any of our code runs. Bar: no 5xx, no error in
// the server's log, the server still answering.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hostileSeed } from "../support/hostile-seed";
import { eachFieldHostile, hostileFieldValues } from "../support/arbitraries";
import { DIST_DIR, ensureBuild } from "./faults-support";
import { startIsolatedConsole, type IsolatedConsole } from "./isolated-console";

ensureBuild();

const RUNS_PER_ACTION = Number(process.env.HOSTILE_RUNS ?? 30) / 2;

type Action = { id: string; name: string; page: string };

function serverActions(): Action[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(DIST_DIR, "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    const page =
      `/${worker
        .replace(/^app\//, "")
        .replace(/\/page$/, "")
        .replace(/\([^)]*\)\/?/g, "")
        .replace(/\[[^\]]+\]/g, randomUUID())}`.replace(/\/$/, "") || "/";
    return { id, name: entry.exportedName ?? id, page };
  });
}

// Strings that mean something to React's reply decoder, and some that mean something elsewhere.
const flightish = fc.constantFrom(
  "$@0",
  "$@1",
  "$Q1",
  "$W1",
  "$F0",
  "$F999",
  "$h1",
  "$T1",
  "$R1",
  "$r2",
  "$X1",
  "$i1",
  "$A1",
  "$O1",
  "$B1",
  "$1",
  "$ff",
  "$K",
  "$K1",
  "$K999",
  "$undefined",
  "$NaN",
  "$-0",
  "$D2026-11-26",
  "$Dnot-a-date",
  "$n12",
  "$n-",
  "$$",
  "$",
  "$Z",
  "__proto__",
  "constructor",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "=cmd|' /C calc'!A0",
  "\u0000",
  "\ud800",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
);
const leaf = fc.oneof(
  flightish,
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "prototype", "$K1", "0")),
      tie("tree"),
      { maxKeys: 4 },
    ),
  ),
}));
const replyText = fc.oneof(
  { weight: 4, arbitrary: fc.array(tree, { maxLength: 4 }).map((args) => JSON.stringify(args)) },
  { weight: 1, arbitrary: tree.map((value) => JSON.stringify(value) ?? "null") },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 10, max: 3000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
  },
  { weight: 1, arbitrary: fc.array(tree, { maxLength: 4 }).map((args) => JSON.stringify(args).slice(0, -1)) },
);
type HostileBody = { label: string; headers: Record<string, string>; body: () => BodyInit };
const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  {
    weight: 3,
    arbitrary: replyText.map((text) => ({
      label: `text ${text.slice(0, 2000)}`,
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: () => text,
    })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.option(replyText),
        fc.dictionary(
          fc.oneof(
            fc.string({ maxLength: 10 }),
            fc.constantFrom("1_name", "1_email", "1_providerId", "1_$ACTION_ID_0", "$ACTION_REF_1", "1_0"),
          ),
          fc.oneof(fc.string({ maxLength: 60 }), flightish),
          { maxKeys: 5 },
        ),
      )
      .map(([args, fields]) => ({
        label: `multipart 0=${String(args)} fields=${JSON.stringify(fields)}`,
        headers: {},
        body: () => {
          const form = new FormData();
          for (const [name, value] of Object.entries(fields)) form.append(name, value);
          if (args !== null) form.set("0", args);
          return form;
        },
      })),
  },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 120 }).map((raw) => ({
      label: `raw multipart ${raw.slice(0, 40)}`,
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: () => `--xyz\r\n${raw}`,
    })),
  },
);
const FIXED: HostileBody[] = [
  {
    label: "oversized text",
    headers: { "content-type": "text/plain;charset=UTF-8" },
    body: () => JSON.stringify(["x".repeat(1_200_000)]),
  },
  {
    label: "truncated multipart",
    headers: { "content-type": "multipart/form-data; boundary=xyz" },
    body: () => '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"',
  },
  { label: "multipart without boundary", headers: { "content-type": "multipart/form-data" }, body: () => "abc" },
  { label: "no content type", headers: {}, body: () => '[{"__proto__":{"polluted":true}}]' },
];

let server: IsolatedConsole | undefined;
let cookie = "";

beforeAll(async () => {
  // A database of its own: hostile calls that happen to be valid (start a test run, run retention)
  // must not touch other files' data.
  server = await startIsolatedConsole("pc_hostile_http", "ADMIN");
  cookie = server.cookie;
}, 240_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

/** Every page and route handler of the build, dynamic segments filled with junk or a random uuid. */
function appPaths(): string[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(DIST_DIR, "server", "app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  return Object.keys(manifest)
    .filter((entry) => !entry.startsWith("/_"))
    .map((entry) =>
      entry
        .replace(/\/(page|route)$/, "")
        .replace(/\([^)]*\)\/?/g, "")
        .replace(/\[\.\.\.[^\]]+\]/, "callback/credentials"),
    )
    .flatMap((entry) =>
      entry.includes("[")
        ? [entry.replace(/\[[^\]]+\]/g, randomUUID()), entry.replace(/\[[^\]]+\]/g, "%27%20OR%201%3D1")]
        : [entry],
    )
    .map((entry) => entry.replace(/\/$/, "") || "/");
}

const hostileQuery = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          "from",
          "to",
          "period",
          "per",
          "by",
          "provider",
          "model",
          "key",
          "tag",
          "status",
          "source",
          "older",
          "newer",
          "archived",
          "action",
          "actor",
          "callbackUrl",
          "error",
          "__proto__[x]",
          "constructor",
        ),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(
        fc.string({ maxLength: 60 }),
        flightish,
        fc.constantFrom(
          "%ZZ",
          "%00",
          "2026-13-45",
          "0000-00-00",
          "9999-12-31",
          "-1",
          "1e999",
          "A".repeat(5000),
          "eyJ4Ijox",
        ),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs.map(([key, value]) => `${encodeQuery(key)}=${value.startsWith("%") ? value : encodeQuery(value)}`).join("&"),
  );

// A URL cannot carry a lone surrogate at all: the client would refuse before the server sees it.
function encodeQuery(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd"));
  }
}

// The real session, none, or cookies a tampering client could send in its place or beside it.
const hostileCookie: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("session") },
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom("next-auth.session-token", "next-auth.callback-url", "next-auth.csrf-token", "__proto__", "x"),
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.constantFrom(
            "javascript:alert(1)",
            "https://evil.example/",
            "eyJhbGciOiJub25lIn0.e30.",
            "%ZZ",
            "A".repeat(4000),
          ),
        ),
      )
      .map(([name, value]) => `${name}=${encodeQuery(value)}`),
  },
);

describe("hostile requests to every page and route handler over HTTP", () => {
  test("hostile query strings, methods and bodies, signed in and anonymous: no 5xx, no server error", async () => {
    const paths = appPaths();
    expect(paths.length).toBeGreaterThan(25);
    const statuses: Record<number, number> = {};
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        hostileQuery,
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
        hostileCookie,
        fc.oneof(
          replyText,
          fc.constantFrom('{"records":[{"__proto__":{"x":1}}]}', "email=%ZZ&password=", "null", "[]"),
        ),
        fc.constantFrom(
          "application/json",
          "application/x-www-form-urlencoded",
          "text/plain",
          "multipart/form-data; boundary=x",
        ),
        async (route, query, method, cookies, body, type) => {
          const response = await fetch(`${server!.url}${route}${query ? `?${query}` : ""}`, {
            method,
            redirect: "manual",
            headers: {
              origin: server!.url,
              "content-type": type,
              ...(cookies === null ? {} : { cookie: cookies === "session" ? cookie : cookies }),
            },
            body: method === "GET" ? undefined : body,
          });
          await response.arrayBuffer();
          tried += 1;
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          expect(response.status, `${method} ${route}?${query} ${type} ${body.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: paths.length * RUNS_PER_ACTION, seed: hostileSeed(), endOnFailure: true },
    );
    const log = server!.log();
    expect(log.split("\n").filter((line) => line.includes("⨯") || line.includes('"level":"error"'))).toEqual([]);
    console.info(JSON.stringify({ hostileHttpRoutes: { paths: paths.length, inputs: tried, statuses } }));
  }, 600_000);
});

describe("hostile server-action bodies over HTTP", () => {
  test("every action × generated and fixed hostile bodies, signed in and anonymous: no 5xx, no server error", async () => {
    const actions = serverActions();
    expect(actions.length).toBeGreaterThan(30);
    const statuses: Record<number, number> = {};
    let tried = 0;
    const send = async (action: Action, body: HostileBody, signedIn: boolean) => {
      const response = await fetch(`${server!.url}${action.page}`, {
        method: "POST",
        headers: {
          origin: server!.url,
          "next-action": action.id,
          accept: "text/x-component",
          ...(signedIn ? { cookie } : {}),
          ...body.headers,
        },
        body: body.body(),
        redirect: "manual",
      });
      const text = await response.text();
      tried += 1;
      // On a failure, say what the server said and logged: the label alone is truncated.
      if (response.status >= 500)
        console.error(
          JSON.stringify({
            action: action.name,
            body: body.label,
            status: response.status,
            answer: text.slice(0, 300),
            log: server!.log().slice(-1500),
          }),
        );
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      return response.status;
    };
    for (const action of actions) {
      for (const body of FIXED)
        expect(await send(action, body, true), `${action.name} ${body.label}`).toBeLessThan(500);
      await fc.assert(
        fc.asyncProperty(hostileBody, fc.boolean(), async (body, signedIn) => {
          expect(await send(action, body, signedIn), `${action.name} ${body.label}`).toBeLessThan(500);
        }),
        { numRuns: RUNS_PER_ACTION, seed: hostileSeed(), endOnFailure: true },
      );
    }
    expect(server!.alive()).toBe(true);
    expect((await fetch(`${server!.url}/api/health`)).status).toBe(200);
    // Next prints "⨯ <error>" for anything thrown while handling a request; our logger writes level "error".
    const log = server!.log();
    expect(log.split("\n").filter((line) => line.includes("⨯") || line.includes('"level":"error"'))).toEqual([]);
    console.info(JSON.stringify({ hostileHttp: { actions: actions.length, inputs: tried, statuses } }));
  }, 600_000);
});

describe("the guard lets real forms through", () => {
  test("a form posted without JavaScript (progressive enhancement) still creates the user", async () => {
    const html = await (await fetch(`${server!.url}/users`, { headers: { cookie } })).text();
    const field = (name: string) =>
      new RegExp(`name="\\$${name}"(?: value="([^"]*)")?`).exec(html)?.[1]?.replaceAll("&quot;", '"') ?? "";
    const form = new FormData();
    form.set("$ACTION_REF_1", "");
    form.set("$ACTION_1:0", field("ACTION_1:0"));
    form.set("$ACTION_1:1", field("ACTION_1:1"));
    form.set("$ACTION_KEY", field("ACTION_KEY"));
    expect(form.get("$ACTION_1:0")).toContain('"bound":"$@1"');
    const email = `no-js-${randomUUID().slice(0, 8)}@example.test`;
    const fields: [string, string][] = [
      ["email", email],
      ["name", "No JS"],
      ["role", "VIEWER"],
      ["password", "no-js-password-1"],
    ];
    for (const [name, value] of fields) form.set(name, value);
    const response = await fetch(`${server!.url}/users`, {
      method: "POST",
      headers: { cookie, origin: server!.url },
      body: form,
      redirect: "manual",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`${email} can now sign in.`);
    expect(await server!.prisma.user.count({ where: { email } })).toBe(1);
  });
});

describe("hostile values inside a valid form, signed in, over HTTP", () => {
  test("the no-JS users form with each hostile value in each field: no 5xx, no server error, a user only when the answer says so", async () => {
    const html = await (await fetch(`${server!.url}/users`, { headers: { cookie } })).text();
    const field = (name: string) =>
      new RegExp(`name="\\$${name}"(?: value="([^"]*)")?`).exec(html)?.[1]?.replaceAll("&quot;", '"') ?? "";
    const hidden = {
      $ACTION_REF_1: "",
      "$ACTION_1:0": field("ACTION_1:0"),
      "$ACTION_1:1": field("ACTION_1:1"),
      $ACTION_KEY: field("ACTION_KEY"),
    };
    const values = hostileFieldValues().filter(
      (value): value is string => typeof value === "string" && value.length < 5000,
    );
    const problems: string[] = [];
    let sent = 0;
    for (const variant of eachFieldHostile(
      { email: "", name: "Hostile", role: "VIEWER", password: "hostile-password-1" },
      values,
    )) {
      if (variant.field.startsWith("_") || variant.field === "constructor" || variant.field === "prototype") continue;
      const email = `hostile-form-${randomUUID().slice(0, 8)}@example.test`;
      const input = { ...(variant.input as Record<string, string>) };
      if (variant.field !== "email") input.email = email;
      const form = new FormData();
      for (const [name, value] of Object.entries({ ...hidden, ...input }))
        if (typeof value === "string") form.set(name, value);
      const response = await fetch(`${server!.url}/users`, {
        method: "POST",
        headers: { cookie, origin: server!.url },
        body: form,
        redirect: "manual",
      });
      const text = await response.text();
      sent += 1;
      if (response.status >= 500) problems.push(`${variant.label}: ${response.status}`);
      const created = text.includes("can now sign in.");
      const stored =
        variant.field === "email"
          ? null
          : await server!.prisma.user.findUnique({ where: { email }, select: { name: true, role: true } });
      if (variant.field !== "email" && created !== !!stored)
        problems.push(
          `${variant.label}: answer says ${created ? "created" : "not created"}, database ${stored ? "has" : "has no"} the user`,
        );
      // What the wire carries: the client's UTF-8 encoding already turns a lone surrogate into U+FFFD.
      const sentName =
        variant.value === undefined ? "" : Buffer.from(String(variant.value), "utf8").toString("utf8").trim();
      if (stored && variant.field === "name" && stored.name !== sentName)
        problems.push(`${variant.label}: name stored as ${JSON.stringify(stored.name)}`);
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(200);
    const log = server!.log();
    expect(log.split("\n").filter((line) => line.includes("⨯") || line.includes('"level":"error"'))).toEqual([]);
  }, 300_000);
});

describe("the auth route answers bad input itself", () => {
  test("wrong method, malformed JSON and an off-site callback URL get 4xx with a message; the client-log endpoint writes nothing", async () => {
    const auth = (path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}/api/auth/${path}`, { redirect: "manual", ...init });
    const get = await auth("callback/credentials");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const malformed = await auth("callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, message: "Send a JSON object or a form." });
    const offSite = await auth("signin?callbackUrl=javascript:alert(1)");
    expect(offSite.status).toBe(400);
    expect(await offSite.json()).toMatchObject({ ok: false, message: expect.stringContaining("not valid") });
    // A stored off-site callback URL is cleared, so the next request works again.
    const cookied = await auth("session", { headers: { cookie: "next-auth.callback-url=javascript:alert(1)" } });
    expect(cookied.status).toBe(400);
    expect(cookied.headers.getSetCookie().join(";")).toMatch(/next-auth\.callback-url=;.*Max-Age=0/i);
    expect((await auth("session")).status).toBe(200);
    const log = await auth("_log", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "level=error&code=INJECTED&message=x",
    });
    expect(log.status).toBe(204);
    expect(server!.log()).not.toContain("INJECTED");
  });
});
