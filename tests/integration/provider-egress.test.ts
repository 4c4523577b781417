import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { hashPassword } from "@/lib/auth/password";
import { rebindKeySpec, testKeySpec } from "@/lib/keys/action-specs";
import { listProviderKeys } from "@/lib/keys/queries";
import { updateProviderSpec } from "@/lib/providers/provider-specs";
import { listModels } from "@/lib/provider-clients/list-models";
import { runCompletion } from "@/lib/calls/run-completion";
import { verifyProviderKey } from "@/lib/provider-clients/verify-key";
import { testKeyCallSpec } from "@/lib/test-calls/action-specs";
import type { CallOutcome } from "@/lib/calls/outcome";
import { fakeBaseUrl, startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { letters, seedProvider } from "./test-calls-support";

// Provider traffic against hostile endpoints: redirects, internal addresses, error pages that
// echo the key or internal data, and a provider moved to another host. Every check runs the real
// transport against real sockets on loopback and a real PostgreSQL.

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders };
type Scripted = { url: string; seen: Seen[]; close(): Promise<void> };

async function scriptedServer(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<Scripted> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const KINDS = ["openai", "anthropic", "google", "azure", "mistral", "xai", "ollama"] as const;
const KEY = `sk-fake-${"q".repeat(8)}ZZtopSECRET1234567890`;

let fake: FakeProvider;
let elsewhere: Scripted;
let admin: Actor;
const ADMIN_PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  fake = await startFakeProvider();
  elsewhere = await scriptedServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}'),
  );
  const user = await db.user.create({
    data: {
      email: `egress-admin-${letters()}@example.test`,
      name: "Egress admin",
      role: "ADMIN",
      passwordHash: await hashPassword(ADMIN_PASSWORD),
    },
    select: { id: true, email: true, name: true, role: true },
  });
  admin = user;
});
afterAll(async () => {
  await fake.close();
  await elsewhere.close();
});
beforeEach(() => {
  elsewhere.seen.length = 0;
});

const complete = (kind: string, baseUrl: string, apiKey = KEY) =>
  runCompletion({
    kind,
    baseUrl,
    apiKey,
    model: "fake-small",
    messages: [{ role: "user", content: "Hi" }],
    maxOutputTokens: 8,
    timeoutMs: 3_000,
    maxRetries: 2,
  });

describe("no provider request follows a redirect", () => {
  let redirector: Scripted;
  beforeAll(async () => {
    redirector = await scriptedServer((req, res) => {
      const status = req.url?.includes("found") ? 302 : 307;
      res.writeHead(status, { location: `${elsewhere.url}${req.url ?? "/"}` }).end();
    });
  });
  afterAll(() => redirector.close());

  test.each(KINDS)(
    "%s: completions, streams, model lists and key verification answer a 3xx with the redirect class",
    async (kind) => {
      for (const base of [redirector.url, `${redirector.url}/found`]) {
        const baseUrl = fakeBaseUrl(base, kind);
        const completion = await complete(kind, baseUrl);
        expect(completion).toMatchObject({ ok: false, errorClass: "redirect" });
        expect(completion.ok ? 0 : completion.httpStatus).toBe(base.endsWith("found") ? 302 : 307);
        // A redirect is not retried either: one request, however many retries are allowed.
        expect(completion.attempts).toBe(1);
        expect(await verifyProviderKey({ kind, baseUrl, apiKey: KEY })).toMatchObject({
          ok: false,
          errorClass: "redirect",
        });
        expect(await listModels({ kind, baseUrl, apiKey: KEY })).toMatchObject({ ok: false, errorClass: "redirect" });
      }
      expect(elsewhere.seen).toEqual([]);
    },
  );

  test("a key test through the console records the redirect and sends nothing to the other host", async () => {
    const seeded = await seedProvider(admin, redirector.url, "anthropic");
    const result = await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId });
    const outcome = result.data as CallOutcome;
    expect(outcome).toMatchObject({ ok: false, attempted: true, errorClass: "redirect", httpStatus: 307 });
    expect(elsewhere.seen).toEqual([]);
  });
});

describe("a 2xx is a success only when it is an API answer", () => {
  let plain: Scripted;
  beforeAll(async () => {
    plain = await scriptedServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/plain" }).end("Welcome to nginx"),
    );
  });
  afterAll(() => plain.close());

  test.each(["google", "azure", "openai", "anthropic", "ollama"])(
    "%s: a 200 text/plain page is a malformed response",
    async (kind) => {
      const completion = await complete(kind, fakeBaseUrl(plain.url, kind));
      expect(completion).toMatchObject({ ok: false, errorClass: "malformed_response" });
      expect(await verifyProviderKey({ kind, baseUrl: fakeBaseUrl(plain.url, kind), apiKey: KEY })).toMatchObject({
        ok: false,
        errorClass: "malformed_response",
      });
    },
  );
});

describe("egress policy", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.EGRESS_ALLOWED_NETWORKS;
    delete process.env.EGRESS_ALLOWED_NETWORKS;
  });
  afterEach(() => {
    process.env.EGRESS_ALLOWED_NETWORKS = saved;
  });

  const port = () => new URL(fake.url).port;
  // Loopback spelled every way a URL parser accepts, private and metadata addresses, a name.
  const targets = () => [
    `http://127.0.0.1:${port()}`,
    `http://127.1:${port()}`,
    `http://2130706433:${port()}`,
    `http://0x7f000001:${port()}`,
    `http://0177.0.0.1:${port()}`,
    `http://[::1]:${port()}`,
    `http://[::ffff:127.0.0.1]:${port()}`,
    `http://[::ffff:7f00:1]:${port()}`,
    `http://localhost:${port()}`,
    "http://169.254.169.254",
    "http://[fd00:ec2::254]",
    "http://10.0.0.1",
    "http://172.16.5.4",
    "http://192.168.1.1",
    "http://100.64.0.1",
    "http://0.0.0.0",
    "http://[fe80::1]",
  ];

  test("without an allowance, loopback, private, link-local and metadata targets are refused before anything is sent", async () => {
    const before = fake.count();
    for (const target of targets()) {
      const baseUrl = `${target}/v1`;
      expect(
        await verifyProviderKey({ kind: "openai", baseUrl, apiKey: "sk-fake-x", timeoutMs: 2_000 }),
        target,
      ).toMatchObject({ ok: false, errorClass: "egress_refused" });
      expect(
        await listModels({ kind: "openai", baseUrl, apiKey: "sk-fake-x", timeoutMs: 2_000 }),
        target,
      ).toMatchObject({ ok: false, errorClass: "egress_refused" });
      const completion = await complete("openai", baseUrl, "sk-fake-x");
      expect(completion, target).toMatchObject({ ok: false, errorClass: "egress_refused", attempts: 1 });
    }
    expect(fake.count()).toBe(before);
  });

  test("the refusal names no internal detail in the classified message; the excerpt says which range", async () => {
    const result = await verifyProviderKey({
      kind: "openai",
      baseUrl: `http://127.1:${port()}/v1`,
      apiKey: "sk-fake-x",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).not.toContain("127.0.0.1");
    expect(result.detail).toContain("loopback");
  });

  test("an administrator's allowance opens exactly the networks it names", async () => {
    process.env.EGRESS_ALLOWED_NETWORKS = "127.0.0.0/8";
    expect(
      await verifyProviderKey({ kind: "openai", baseUrl: `http://127.1:${port()}/v1`, apiKey: "sk-fake-x" }),
    ).toMatchObject({ ok: true });
    expect(await complete("openai", `http://localhost:${port()}/v1`, "sk-fake-x")).toMatchObject({ ok: true });
    // ::1 is another network: still refused.
    expect(
      await verifyProviderKey({ kind: "openai", baseUrl: `http://[::1]:${port()}/v1`, apiKey: "sk-fake-x" }),
    ).toMatchObject({ ok: false, errorClass: "egress_refused" });
    expect(
      await verifyProviderKey({ kind: "openai", baseUrl: "http://169.254.169.254/v1", apiKey: "sk-fake-x" }),
    ).toMatchObject({ ok: false, errorClass: "egress_refused" });
  });
});

describe("upstream error text", () => {
  let leaky: Scripted;
  const INTERNAL = "db_password=hunter2 connection=postgres://app:pw@10.0.0.5/prod";
  beforeAll(async () => {
    leaky = await scriptedServer((req, res) => {
      const key = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
      // The key echoed across where a 300-character cut used to fall, then internal data.
      const body = JSON.stringify({
        error: { message: `${"e".repeat(290)} key=${key} ${INTERNAL} ${"z".repeat(400)}` },
      });
      res.writeHead(500, { "content-type": "application/json" }).end(body);
    });
  });
  afterAll(() => leaky.close());

  test("is stored and shown as a classified message; only ADMIN gets a short redacted excerpt", async () => {
    const apiKey = `sk-fake-${letters()}${letters()}${letters()}`;
    const seeded = await seedProvider(admin, leaky.url, "openai", { apiKey });
    const outcome = (await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).data as CallOutcome;
    expect(outcome).toMatchObject({
      ok: false,
      errorClass: "provider_error",
      message: "The provider returned a server error.",
    });
    expect(outcome.detail!.length).toBeLessThanOrEqual(161);
    const grams = (text: string) =>
      Array.from({ length: apiKey.length - 5 }, (_, i) => apiKey.slice(i, i + 6)).filter((gram) => text.includes(gram));
    expect(grams(outcome.detail!)).toEqual([]);

    for (const role of ["VIEWER", "FINANCE"] as const) {
      const [key] = await listProviderKeys(seeded.providerId, role);
      expect(key!.lastTestDetail).toBeNull();
      expect(key!.lastTestMessage).not.toMatch(/db_password|postgres:|eeee/);
      expect(grams(key!.lastTestMessage ?? "")).toEqual([]);
    }
    const [forAdmin] = await listProviderKeys(seeded.providerId, "ADMIN");
    expect(forAdmin!.lastTestDetail).toBe(outcome.detail);
    const stored = await db.providerKey.findUniqueOrThrow({
      where: { id: seeded.keyId! },
      select: { lastTestMessage: true, lastTestDetail: true },
    });
    expect(grams(`${stored.lastTestMessage} ${stored.lastTestDetail}`)).toEqual([]);
  });

  test("the key is redacted before the excerpt is cut, wherever the echo falls", async () => {
    for (const pad of [100, 130, 150, 158]) {
      const echo = await scriptedServer((req, res) => {
        const key = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: `${"p".repeat(pad)}${key}` } }));
      });
      const apiKey = `sk-fake-${letters()}${letters()}${letters()}`;
      const result = await verifyProviderKey({ kind: "openai", baseUrl: `${echo.url}/v1`, apiKey });
      await echo.close();
      expect(result.ok).toBe(false);
      const text = result.ok ? "" : `${result.message} ${result.detail ?? ""}`;
      // 6-character runs: the key's random part is made of a-f and x, which "[redacted]" cannot supply.
      for (let i = 0; i + 6 <= apiKey.length; i += 1) expect(text, `pad ${pad}`).not.toContain(apiKey.slice(i, i + 6));
    }
  });
});

describe("a key is only sent to the host it was added for", () => {
  test("moving the provider makes its key unusable until an admin rebinds it with their password", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const bound = await db.providerKey.findUniqueOrThrow({
      where: { id: seeded.keyId! },
      select: { boundOrigin: true },
    });
    expect(bound.boundOrigin).toBe(new URL(fake.url).origin);

    await db.provider.update({ where: { id: seeded.providerId }, data: { baseUrl: `${elsewhere.url}/v1` } });
    const call = (await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).data as CallOutcome;
    expect(call).toMatchObject({ ok: false, attempted: false, errorClass: "key_unbound" });
    const verify = await executeAction(testKeySpec, admin, { keyId: seeded.keyId });
    expect(verify).toMatchObject({ ok: false });
    expect(verify.message).toMatch(/another host/);
    expect(elsewhere.seen).toEqual([]);
    const [dto] = await listProviderKeys(seeded.providerId, "VIEWER");
    expect(dto!.boundToProvider).toBe(false);

    const refused = await executeAction(rebindKeySpec, admin, {
      keyId: seeded.keyId,
      password: "wrong password",
      confirm: "on",
    });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { password: [expect.any(String)] } });
    expect(await db.auditEvent.count({ where: { action: "key.rebound", targetId: seeded.keyId! } })).toBe(0);
    expect((await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).data).toMatchObject({
      errorClass: "key_unbound",
    });
    expect(elsewhere.seen).toEqual([]);

    const rebound = await executeAction(rebindKeySpec, admin, {
      keyId: seeded.keyId,
      password: ADMIN_PASSWORD,
      confirm: "on",
    });
    expect(rebound, rebound.message).toMatchObject({ ok: true, data: { origin: elsewhere.url } });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "key.rebound", targetId: seeded.keyId! } });
    expect(audit.details).toMatchObject({
      fromOrigin: new URL(fake.url).origin,
      toOrigin: elsewhere.url,
      reauthenticated: true,
    });
    expect(JSON.stringify(audit.details)).not.toContain(ADMIN_PASSWORD);
    const [after] = await listProviderKeys(seeded.providerId, "VIEWER");
    expect(after!.boundToProvider).toBe(true);
    // Now the key may go there: the verification reaches the new host.
    await executeAction(testKeySpec, admin, { keyId: seeded.keyId });
    expect(elsewhere.seen.length).toBe(1);
    expect(elsewhere.seen[0]!.headers.authorization).toBe(`Bearer ${seeded.apiKey}`);
  });

  test("saving a provider with another host says how many keys it leaves unusable", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    const provider = await db.provider.findUniqueOrThrow({ where: { id: seeded.providerId } });
    const edit = {
      providerId: provider.id,
      name: provider.name,
      slug: provider.slug,
      baseUrl: `${elsewhere.url}/v1`,
      allowInsecure: "",
      description: "",
      region: "",
      tags: "",
    };
    const saved = await executeAction(updateProviderSpec, admin, edit);
    expect(saved).toMatchObject({ ok: true, data: { unboundKeys: 1 } });
    expect(saved.message).toMatch(/1 key\(s\) were added for another host/);
    expect((await executeAction(testKeyCallSpec, admin, { keyId: seeded.keyId })).data).toMatchObject({
      errorClass: "key_unbound",
    });
    expect(elsewhere.seen).toEqual([]);
  });

  test("a key stored before binding existed is bound to its provider's host by the database", async () => {
    const provider = await db.provider.create({
      data: { name: `egress-${letters()}`, kind: "openai", baseUrl: "https://API.Example.com:443/v1" },
      select: { id: true },
    });
    const row = await db.$queryRaw<{ bound_origin: string }[]>`
      INSERT INTO provider_keys (id, provider_id, label, ciphertext, master_key_id, last4, fingerprint)
      VALUES (gen_random_uuid(), ${provider.id}::uuid, 'raw', 'v1:x', 'test1', 'abcd', ${letters()}) RETURNING bound_origin`;
    expect(new URL(row[0]!.bound_origin).origin).toBe("https://api.example.com");
  });
});
