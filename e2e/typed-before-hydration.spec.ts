import { randomBytes } from "node:crypto";
import { test, expect, type Locator, type Page } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";

// What a person (or a password manager) types the moment a form appears must be what the action
// receives, whether the page's JavaScript has loaded yet or not. Each form is filled straight after
// navigation, with no wait for the page to settle, in three timings: submitted at once; typed and
// submitted before hydration (JavaScript held back, so the form posts natively); typed before
// hydration and submitted after it. The database then must hold exactly the typed values.

type FormCase = {
  name: string;
  path: () => Promise<string>;
  form: (page: Page) => Locator;
  submit: string;
  fields: (tag: string) => [label: string, value: string][];
  stored: (tag: string) => Promise<unknown[]>;
  refusals: RegExp;
};

let providerId = "";

const FORMS: FormCase[] = [
  {
    name: "Add a key",
    path: async () => `/providers/${providerId}`,
    form: (page) => page.getByRole("form", { name: "Add a key" }),
    submit: "Add key",
    fields: (tag) => [
      ["Label", `Early ${tag}`],
      ["API key", `sk-early-${tag}-0123456789abcdef`],
    ],
    stored: (tag) => query(`SELECT label FROM provider_keys WHERE label = $1`, [`Early ${tag}`]),
    refusals: /Enter a label|too short to be an API key/,
  },
  {
    name: "Add a user",
    path: async () => "/users",
    form: (page) => page.getByRole("form", { name: "Add a user" }),
    submit: "Create user",
    fields: (tag) => [
      ["Email", `early-${tag}@example.test`],
      ["Name", `Early ${tag}`],
      ["Initial password", `early passphrase ${tag}`],
    ],
    stored: (tag) =>
      query(`SELECT email FROM users WHERE email = $1 AND name = $2`, [`early-${tag}@example.test`, `Early ${tag}`]),
    refusals: /Enter a valid email|Use at least/,
  },
  {
    name: "New provider",
    path: async () => "/providers/new",
    form: (page) => page.locator("form").filter({ has: page.getByRole("button", { name: "Create provider" }) }),
    submit: "Create provider",
    fields: (tag) => [
      ["Name", `Early provider ${tag}`],
      ["Region / data residency", `Region ${tag}`],
    ],
    stored: (tag) =>
      query(`SELECT name FROM providers WHERE name = $1 AND region = $2`, [`Early provider ${tag}`, `Region ${tag}`]),
    refusals: /Enter a name/,
  },
  {
    name: "Create ingest token",
    path: async () => "/usage/tokens",
    form: (page) => page.locator("form").filter({ has: page.getByRole("button", { name: "Create token" }) }),
    submit: "Create token",
    fields: (tag) => [["Name", `early-token-${tag}`]],
    stored: (tag) => query(`SELECT name FROM ingest_tokens WHERE name = $1`, [`early-token-${tag}`]),
    refusals: /Name the token/,
  },
];

const TIMINGS = [
  "submitted at once",
  "typed and submitted before hydration",
  "typed before hydration, submitted after",
] as const;

/** Whether React has hydrated the element (it tags hydrated DOM nodes with its fiber). */
const hydrated = (locator: Locator) =>
  locator.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__reactFiber")));

test.beforeAll(async () => {
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'http://127.0.0.1:9/v1', now()) RETURNING id`,
    [`early-${randomBytes(4).toString("hex")}`],
  );
  providerId = provider!.id;
});

for (const form of FORMS) {
  for (const timing of TIMINGS) {
    test(`${form.name}: ${timing}`, async ({ page, context }) => {
      const tag = randomBytes(4).toString("hex");
      const admin = await createUser("ADMIN");
      await signInViaApi(context, admin.email, admin.password);
      // Holding the page's scripts back is what a slow first load looks like: the form is in the
      // HTML, but React has not hydrated it.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      if (timing !== "submitted at once")
        await page.route(
          (url) => url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js"),
          async (route) => {
            await held;
            await route.continue();
          },
        );

      await page.goto(await form.path(), { waitUntil: "commit" });
      const scope = form.form(page);
      for (const [label, value] of form.fields(tag)) await scope.getByLabel(label, { exact: true }).fill(value);
      const button = scope.getByRole("button", { name: form.submit });
      if (timing === "typed and submitted before hydration") {
        expect(await hydrated(button)).toBe(false);
        await button.click();
        release();
      } else if (timing === "typed before hydration, submitted after") {
        expect(await hydrated(button)).toBe(false);
        release();
        await expect.poll(() => hydrated(button), { timeout: 30_000 }).toBe(true);
        for (const [label, value] of form.fields(tag))
          await expect(scope.getByLabel(label, { exact: true })).toHaveValue(value);
        await button.click();
      } else {
        await button.click();
      }

      await expect
        .poll(() => form.stored(tag).then((rows) => rows.length), {
          timeout: 30_000,
          message: `${form.name} stored the typed values`,
        })
        .toBe(1);
      await expect(page.getByText(form.refusals)).toHaveCount(0);
    });
  }
}

// The cause class behind lost input: a form's fields replaced while the page becomes interactive
// (a boundary rendered again on the client, a key that changes, a form that mounts after mount).
// Every field is tagged the moment it exists; once the page has hydrated, each must still be the
// element that was tagged, on every page with a form.
const TAG_FIELDS = `(() => {
  const seen = new WeakSet();
  window.__fieldsSeen = 0;
  const tick = () => {
    for (const el of document.querySelectorAll("main input:not([type=hidden]), main textarea, main select")) {
      if (!seen.has(el)) { seen.add(el); el.__firstSeen = true; window.__fieldsSeen += 1; }
    }
    if (performance.now() < 30000) requestAnimationFrame(tick);
  };
  tick();
})();`;

test("no page replaces its form fields while it becomes interactive", async ({ page, context }) => {
  test.setTimeout(180_000);
  const [model] = await query<{ id: string }>(
    `INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, $2, $2, now()) RETURNING id`,
    [providerId, `early-model-${randomBytes(3).toString("hex")}`],
  );
  const admin = await createUser("ADMIN");
  const other = await createUser("VIEWER");
  await signInViaApi(context, admin.email, admin.password);
  await page.addInitScript(TAG_FIELDS);
  const pages = [
    `/providers/${providerId}`,
    `/providers/${providerId}/edit`,
    `/providers/${providerId}/models/new`,
    `/providers/${providerId}/models/${model!.id}`,
    "/providers/new",
    "/users",
    `/users/${other.id}`,
    "/usage/tokens",
    "/spend/budgets",
    "/spend",
    "/latency",
    "/usage",
    "/audit",
    "/playground",
  ];
  for (const path of pages) {
    await page.goto(path, { waitUntil: "commit" });
    const main = page.locator("main");
    await expect.poll(() => hydrated(main), { timeout: 30_000, message: `${path} hydrates` }).toBe(true);
    // Streamed parts (Suspense) hydrate after the shell: give them time to settle.
    await page.waitForLoadState("load");
    await page.waitForTimeout(1_000);
    const fields = await page.evaluate(() => {
      const live = [...document.querySelectorAll("main input:not([type=hidden]), main textarea, main select")];
      return {
        seen: (window as unknown as { __fieldsSeen: number }).__fieldsSeen,
        live: live.length,
        replaced: live
          .filter((el) => !(el as unknown as { __firstSeen?: boolean }).__firstSeen)
          .map((el) => (el as HTMLInputElement).id || (el as HTMLInputElement).name),
      };
    });
    expect(fields.live, `${path} has form fields`).toBeGreaterThan(0);
    expect(fields.replaced, `${path} replaced fields while loading`).toEqual([]);
    expect(fields.seen, `${path} dropped fields while loading`).toBe(fields.live);
  }
});
