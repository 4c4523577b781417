import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { query } from "./support/db";
import { createUser } from "./support/factories";

// Server actions refuse cross-origin and Origin-less replays of a real admin POST; names and
// descriptions carrying HTML or script render as text on every page that shows them, and CSV
// exports neutralise formula cells.

const suffix = randomUUID().slice(0, 8);
const IMG = "<img src=x onerror=alert(1)>";
const SCRIPT = "<script>alert(2)</script>";

const providerCount = async (name: string) =>
  Number((await query<{ n: string }>("SELECT count(*) AS n FROM providers WHERE name = $1", [name]))[0]!.n);
// Rows written by someone: background jobs write actor-less rows at any moment, never a replay.
const auditCount = async () =>
  Number(
    (
      await query<{ n: string }>(
        "SELECT count(*) AS n FROM audit_events WHERE actor_id IS NOT NULL OR actor_email IS NOT NULL",
      )
    )[0]!.n,
  );

test("a captured admin server action replayed cross-origin or without Origin is refused; with the right Origin it runs", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await createUser("ADMIN");
  const context = await browser.newContext();
  await signInViaApi(context, admin.email, admin.password);
  const page = await context.newPage();

  const name = `Origin ${suffix}`;
  await page.goto("/providers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Kind").selectOption("mistral");
  const sentPromise = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByRole("button", { name: "Create provider" }).click();
  const sent = await sentPromise;
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const headers = await sent.allHeaders();
  const body = sent.postDataBuffer()!.toString("latin1");
  const replay = (newName: string, origin: string | null) =>
    context.request.post(sent.url(), {
      headers: {
        "next-action": headers["next-action"]!,
        "content-type": headers["content-type"]!,
        accept: "text/x-component",
        ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
        ...(origin ? { origin } : {}),
      },
      // Same multipart body, another provider name: multipart parts are not length-prefixed.
      data: Buffer.from(body.split(name).join(newName), "latin1"),
      maxRedirects: 0,
    });

  const audits = await auditCount();
  const evil = `Evil ${suffix}`;
  const crossOrigin = await replay(evil, "https://evil.example");
  // proxy.ts refuses it with 403 before Next's own check would throw (a 500).
  const crossText = await crossOrigin.text();
  expect(crossOrigin.status(), `cross-origin: ${crossText.slice(0, 200)}`).toBe(403);
  expect(crossText).toContain("did not come from the console");
  expect(await providerCount(evil), "cross-origin replay created a provider").toBe(0);

  const bare = `Bare ${suffix}`;
  const noOrigin = await replay(bare, null);
  expect(await noOrigin.text()).toContain("did not come from the console");
  expect(await providerCount(bare), "Origin-less replay created a provider").toBe(0);
  expect(await auditCount()).toBe(audits);

  const good = `Good ${suffix}`;
  const sameOrigin = await replay(good, new URL(baseURL!).origin);
  expect(sameOrigin.status()).toBeLessThan(400);
  expect(await providerCount(good), "the replay mechanism itself works with the right Origin").toBe(1);
  await context.close();
});

async function seedHostileNames() {
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, description, tags, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'http://127.0.0.1:9/v1', $2, $3, now()) RETURNING id`,
    [`${IMG} ${suffix}`, `${SCRIPT} ${IMG}`, [`${IMG}`]],
  );
  const providerId = provider!.id;
  const [model] = await query<{ id: string }>(
    `INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, now()) RETURNING id`,
    [providerId, `m-${suffix}`, `${SCRIPT} model`],
  );
  const [formula] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'http://127.0.0.1:9/v1', now()) RETURNING id`,
    [`=HYPERLINK("http://evil.example") ${suffix}`],
  );
  const day = new Date().toISOString().slice(0, 10);
  for (const [index, id] of [providerId, formula!.id].entries()) {
    await query(
      `INSERT INTO usage_records (source, client_record_id, occurred_at, provider_id, tag, input_tokens, output_tokens, latency_ms, status, cost, priced)
       VALUES ('INGEST', $1, $3::date + interval '1 hour', $2, $4, 1000, 100, 500, 'OK', 1.5, true)`,
      [`hardening-${suffix}-${index}`, id, day, `@SUM(A1) ${IMG}`],
    );
    await query(
      `INSERT INTO usage_rollup_daily (bucket, provider_id, model_id, key_id, tag, requests, input_tokens, output_tokens, cost_sum, unpriced_count, latency_sum_ms)
       VALUES ($1::date, $2, '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000', $3, 1, 1000, 100, 1.5, 0, 500)`,
      [day, id, `@SUM(A1) ${IMG}`],
    );
  }
  const user = await createUser("VIEWER");
  await query("UPDATE users SET name = $1 WHERE id = $2", [`${IMG} ${SCRIPT}`, user.id]);
  await query(
    `INSERT INTO audit_events (actor_email, action, target_type, target_id, details) VALUES ($1, 'provider.updated', 'provider', $2, $3)`,
    [`${IMG}@example.test`, providerId, JSON.stringify({ name: { before: SCRIPT, after: IMG } })],
  );
  return { providerId, modelId: model!.id, formulaId: formula!.id };
}

async function expectInert(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("load");
  await expect(page.locator('img[src="x"]'), `${path}: an injected <img> became an element`).toHaveCount(0);
  await expect(
    page.getByText(IMG).filter({ visible: true }).first(),
    `${path}: the payload shows as text`,
  ).toBeVisible();
}

test("HTML and script in names, descriptions, tags and audit details render as text; CSV cells are neutralised", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { providerId, modelId, formulaId } = await seedHostileNames();
  const admin = await createUser("ADMIN");
  const context = await browser.newContext();
  await signInViaApi(context, admin.email, admin.password);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await expectInert(page, "/providers");
  await expectInert(page, `/providers/${providerId}`);
  await expect(page.getByText(SCRIPT).first()).toBeVisible();
  await page.goto(`/providers/${providerId}/models/${modelId}`);
  await expect(page.getByText(`${SCRIPT} model`).first()).toBeVisible();
  await expectInert(page, "/users");
  await expectInert(page, "/audit");
  await expectInert(page, `/spend?provider=${providerId}`);
  // Chart tooltips render on hover: move across the chart area so any tooltip mounts.
  const chart = page.locator(".recharts-wrapper").first();
  if (await chart.count()) {
    const box = await chart.boundingBox();
    if (box) for (let x = 0.1; x < 1; x += 0.2) await page.mouse.move(box.x + box.width * x, box.y + box.height / 2);
  }
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs, "a dialog fired: injected script ran").toEqual([]);

  for (const url of [`/api/usage/spend?provider=${formulaId}`, `/api/usage/records?provider=${formulaId}`]) {
    const response = await context.request.get(url);
    expect(response.status(), url).toBe(200);
    const csv = await response.text();
    const cells = csv
      .split(/\r\n/)
      .slice(1)
      .filter(Boolean)
      .flatMap((line) => line.split(","));
    const dangerous = cells.filter((cell) => /^"?[=+@]/.test(cell) || /^"?-[^0-9]/.test(cell));
    expect(dangerous, `${url} has formula cells`).toEqual([]);
    // The hostile name and tag are there, neutralised, not dropped.
    expect(csv, url).toContain(`'=HYPERLINK`);
    if (url.includes("records")) expect(csv, url).toContain(`'@SUM(A1)`);
  }
  await context.close();
});

test("route handlers, which skip the proxy, refuse anonymous callers themselves with a 401 JSON and a request id", async ({
  request,
}) => {
  const calls: [string, string][] = [
    ["GET", "/api/usage/spend?period=day"],
    ["GET", "/api/usage/records"],
    ["GET", `/api/test-runs/${randomUUID()}`],
    ["POST", "/api/playground"],
    ["POST", "/api/v1/usage"],
  ];
  for (const [method, url] of calls) {
    const response = await request.fetch(url, { method, data: method === "POST" ? { records: [] } : undefined });
    expect(response.status(), `${method} ${url}`).toBe(401);
    expect(await response.json(), `${method} ${url}`).toMatchObject({ ok: false, message: expect.any(String) });
    expect(response.headers()["x-request-id"], `${method} ${url}`).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers()["x-content-type-options"], `${method} ${url}`).toBe("nosniff");
  }
});

test("security headers, request ids and session cookie flags", async ({ browser, baseURL }) => {
  const viewer = await createUser("VIEWER");
  const context = await browser.newContext();
  await signInViaApi(context, viewer.email, viewer.password);
  const session = (await context.cookies()).find((cookie) => cookie.name.includes("session-token"));
  expect(session, "session cookie").toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");

  const page = await context.request.get("/providers");
  const headers = page.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toMatch(/script-src [^;]*'nonce-/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
  expect(headers["strict-transport-security"], "no HSTS over plain http").toBeUndefined();
  expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  // Behind a TLS-terminating proxy: HSTS, and a well-formed incoming request id is kept.
  const proxied = await context.request.get("/api/health", {
    headers: { "x-forwarded-proto": "https", "x-request-id": `lb-${suffix}-0001` },
  });
  expect(proxied.headers()["strict-transport-security"]).toContain("max-age=");
  expect(proxied.headers()["x-request-id"]).toBe(`lb-${suffix}-0001`);
  // Route handlers skip the proxy; their headers come from next.config.ts.
  expect(proxied.headers()["x-content-type-options"]).toBe("nosniff");
  expect(proxied.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  const forged = await context.request.get("/api/health", { headers: { "x-request-id": "bad id\twith tab" } });
  expect(forged.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(baseURL).toBeTruthy();
  await context.close();
});

test("signing in from a crafted link never leaves the console; a real path is kept", async ({ browser, baseURL }) => {
  const user = await createUser("VIEWER");
  const signInFrom = async (callbackUrl: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`/login?callbackUrl=${callbackUrl}`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
    const landed = new URL(page.url());
    await context.close();
    return landed;
  };
  // The browser reads "\" as "/" and drops tabs: each of these would be //evil.example.
  for (const crafted of [
    "/%5Cevil.example/",
    "%2F%5Cevil.example%2F",
    "//evil.example/",
    "/%09/evil.example/",
    "https://evil.example/",
  ]) {
    const landed = await signInFrom(crafted);
    expect(landed.origin, crafted).toBe(new URL(baseURL!).origin);
    expect(landed.pathname, crafted).toBe("/");
  }
  expect((await signInFrom("%2Fspend%3Fperiod%3Dmonth")).pathname).toBe("/spend");
});
