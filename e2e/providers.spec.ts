import { randomUUID } from "node:crypto";
import { test, expect, type Browser, type BrowserContext, type Page, type Request } from "@playwright/test";
import { query } from "./support/db";
import { createUser, type Role } from "./support/factories";
import { signInViaApi } from "./support/auth";

// The admin flow captures each server-action request it sends; the role test replays them
// with FINANCE and VIEWER sessions. Serial, because the replay needs the captures.
test.describe.configure({ mode: "serial" });

type Captured = { url: string; headers: Record<string, string>; body: Buffer };
const captured = new Map<string, Captured>();
const suffix = randomUUID().slice(0, 8);

async function signedIn(browser: Browser, role: Role): Promise<{ context: BrowserContext; page: Page }> {
  const user = await createUser(role);
  const context = await browser.newContext();
  await signInViaApi(context, user.email, user.password);
  return { context, page: await context.newPage() };
}

/** Clicks, waits for the server-action POST the click sends, and keeps it for replay. */
async function capture(page: Page, name: string, click: () => Promise<void>): Promise<void> {
  const request: Promise<Request> = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await click();
  const sent = await request;
  const headers = await sent.allHeaders();
  captured.set(name, {
    url: sent.url(),
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"]!,
      // Same-origin, as the browser sends it: the role check, not the origin check, must refuse.
      origin: new URL(sent.url()).origin,
      accept: headers.accept ?? "text/x-component",
      ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
    },
    body: sent.postDataBuffer() ?? Buffer.alloc(0),
  });
}

/** Everything a provider, model or price mutation could change, as one comparable value. */
// Audit rows written by someone: the console's background jobs (health checks, the secrets sweep
// announcing the undecryptable key seeded above, notifications) write actor-less rows at any
// moment, which a refused replay never causes and must not be blamed for.
async function catalogState(): Promise<unknown> {
  return query(`SELECT
    (SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY p.id), '')) FROM providers p) AS providers,
    (SELECT md5(coalesce(string_agg(m::text, '|' ORDER BY m.id), '')) FROM models m) AS models,
    (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM model_prices x) AS prices,
    (SELECT count(*) FROM audit_events WHERE actor_id IS NOT NULL OR actor_email IS NOT NULL) AS audit`);
}

const addKey = (providerId: string, status: "ACTIVE" | "REVOKED") =>
  query(
    `INSERT INTO provider_keys (id, provider_id, label, ciphertext, master_key_id, last4, fingerprint, status, revoked_at)
     VALUES (gen_random_uuid(), $1, 'seeded', 'v1:not-a-real-envelope', 'e2e1', 'abcd', $2, $3::"KeyStatus", CASE WHEN $3 = 'REVOKED' THEN now() END)`,
    [providerId, randomUUID(), status],
  );

const idFromUrl = (page: Page, pattern: RegExp) => pattern.exec(page.url())?.[1] ?? "";

test("an admin registers, edits, prices, disables, archives, restores and deletes providers", async ({ browser }) => {
  // A long journey through a dozen pages on a shared two-core machine.
  test.setTimeout(180_000);
  const { context, page } = await signedIn(browser, "ADMIN");
  const name = `Anthropic ${suffix}`;

  await page.goto("/providers");
  await page.getByRole("link", { name: "Add provider" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Kind").selectOption("anthropic");
  await expect(page.getByLabel("Import the default models and prices")).toBeChecked();
  await page.getByLabel("Tags").fill("prod, eu, prod");
  await capture(page, "createProvider", () => page.getByRole("button", { name: "Create provider" }).click());
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const providerId = idFromUrl(page, /\/providers\/([0-9a-f-]{36})$/);
  await expect(page.getByRole("link", { name: "Claude Sonnet 4.5" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Claude Sonnet 4\.5/ })).toContainText("$3.00");

  // Edit: a duplicate name is a field error, then a real change saves.
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Region / data residency").fill("EU (Frankfurt)");
  await page.getByLabel("Description").fill("Production traffic");
  await capture(page, "updateProvider", () => page.getByRole("button", { name: "Save changes" }).click());
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("EU (Frankfurt)")).toBeVisible();

  // A model with its first price, then a price change: two rows in the history.
  await page.getByRole("link", { name: "Add model" }).click();
  await page.getByLabel("Provider's model id").fill("claude-custom-1");
  await page.getByLabel("Display name").fill("Custom Claude");
  await page.getByLabel("Type").selectOption("FINE_TUNED");
  await page.getByRole("button", { name: "Add model" }).click();
  await expect(page.getByText("Enter the base model it was fine-tuned from.")).toBeVisible();
  await page.getByLabel("Base model").fill("claude-haiku-4-5");
  await page.getByLabel("Input price (USD / 1M tokens)").fill("1.25");
  await page.getByLabel("Output price (USD / 1M tokens)").fill("6.25");
  await page.getByLabel("Effective from").fill("2026-01-01");
  await capture(page, "createModel", () => page.getByRole("button", { name: "Add model" }).click());
  await expect(page.getByRole("heading", { name: "Custom Claude" })).toBeVisible();
  const modelId = idFromUrl(page, /\/models\/([0-9a-f-]{36})$/);
  const history = page.getByRole("table", { name: "Price history" });
  await expect(history.locator("tbody tr")).toHaveCount(1);

  await page.getByLabel("Input price (USD / 1M tokens)").fill("1");
  await page.getByLabel("Output price (USD / 1M tokens)").fill("5");
  await page.getByLabel("Effective from").fill("2026-06-01");
  await capture(page, "addPrice", () => page.getByRole("button", { name: "Add price" }).click());
  await expect(page.getByText("Price added.")).toBeVisible();
  await expect(history.locator("tbody tr")).toHaveCount(2);
  await expect(history.locator("tbody tr").first()).toContainText("In force");
  await expect(history.locator("tbody tr").nth(1)).toContainText("Superseded");
  // The same effective date again never overwrites: a field error, still two rows.
  await page.getByLabel("Input price (USD / 1M tokens)").fill("9");
  await page.getByLabel("Output price (USD / 1M tokens)").fill("9");
  await page.getByLabel("Effective from").fill("2026-06-01");
  await page.getByRole("button", { name: "Add price" }).click();
  await expect(page.getByText(/Prices are never overwritten/)).toBeVisible();
  await expect(history.locator("tbody tr")).toHaveCount(2);

  await page.getByLabel("Display name").fill("Custom Claude v1");
  await capture(page, "updateModel", () => page.getByRole("button", { name: "Save model" }).click());
  await expect(page.getByText("Model saved.")).toBeVisible();
  await capture(page, "setModelEnabled", () => page.getByRole("button", { name: "Disable model" }).click());
  await expect(page.getByRole("button", { name: "Enable model" })).toBeVisible();
  expect(await query("SELECT display_name, enabled FROM models WHERE id = $1", [modelId])).toEqual([
    { display_name: "Custom Claude v1", enabled: false },
  ]);

  await page.getByRole("button", { name: "Delete model…" }).click();
  await expect(page.getByRole("dialog")).toContainText("price history (2 rows)");
  await capture(page, "deleteModel", () =>
    page.getByRole("dialog").getByRole("button", { name: "Delete model" }).click(),
  );
  await expect(page).toHaveURL(new RegExp(`/providers/${providerId}$`));
  await expect(page.getByRole("link", { name: "Custom Claude v1" })).toHaveCount(0);

  await capture(page, "setProviderEnabled", () => page.getByRole("button", { name: "Disable", exact: true }).click());
  await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();

  // A revoked key keeps history pointing at the provider: delete archives it instead.
  await addKey(providerId, "REVOKED");
  await page.reload();
  await page.getByRole("button", { name: "Delete…" }).click();
  await expect(page.getByRole("dialog")).toContainText("will be archived instead of deleted");
  await capture(page, "deleteProvider", () =>
    page.getByRole("dialog").getByRole("button", { name: "Archive provider" }).click(),
  );
  await expect(page.getByText(/^Archived on/)).toBeVisible();
  await page.goto("/providers");
  await expect(page.getByRole("link", { name })).toHaveCount(0);
  await page.getByRole("link", { name: "Show archived providers" }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Archived");
  await page.getByRole("link", { name }).click();
  await capture(page, "restoreProvider", () => page.getByRole("button", { name: "Restore" }).click());
  await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();

  // A live key blocks deletion altogether, and the dialog says why.
  await addKey(providerId, "ACTIVE");
  await page.reload();
  await page.getByRole("button", { name: "Delete…" }).click();
  await expect(page.getByRole("dialog")).toContainText("1 API key that is not revoked");
  await expect(page.getByRole("dialog").getByRole("button", { name: /Delete provider|Archive provider/ })).toHaveCount(
    0,
  );
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // A provider nothing refers to is deleted for good, after confirming.
  await page.goto("/providers/new");
  const local = `Local LLM ${suffix}`;
  await page.getByLabel("Name", { exact: true }).fill(local);
  await page.getByLabel("Kind").selectOption("openai-compatible");
  await page.getByLabel("Base URL").fill("http://llm.internal/v1");
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByText(/Plain http is only allowed for localhost/)).toBeVisible();
  await page.getByLabel("Allow insecure http").check();
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByRole("heading", { name: local })).toBeVisible();
  await page.getByRole("button", { name: "Delete…" }).click();
  await expect(page.getByRole("dialog")).toContainText("deleted for good");
  await page.getByRole("dialog").getByRole("button", { name: "Delete provider" }).click();
  await expect(page).toHaveURL(/\/providers$/);
  expect(await query("SELECT id FROM providers WHERE name = $1", [local])).toEqual([]);

  const actions = await query<{ action: string }>(
    "SELECT action FROM audit_events WHERE target_id IN ($1, $2) ORDER BY id",
    [providerId, modelId],
  );
  expect(actions.map((a) => a.action)).toEqual([
    "provider.created",
    "provider.updated",
    "model.created",
    "price.added",
    "price.added",
    "model.updated",
    "model.updated",
    "model.deleted",
    "provider.disabled",
    "provider.archived",
    "provider.restored",
  ]);
  await context.close();
});

test("FINANCE and VIEWER replaying the admin's captured requests are refused and change nothing", async ({
  browser,
}) => {
  expect([...captured.keys()].sort()).toEqual([
    "addPrice",
    "createModel",
    "createProvider",
    "deleteModel",
    "deleteProvider",
    "restoreProvider",
    "setModelEnabled",
    "setProviderEnabled",
    "updateModel",
    "updateProvider",
  ]);
  for (const role of ["FINANCE", "VIEWER"] as const) {
    const { context } = await signedIn(browser, role);
    for (const [name, request] of captured) {
      const before = await catalogState();
      const response = await context.request.post(request.url, {
        headers: request.headers,
        data: request.body,
        maxRedirects: 0,
      });
      expect(await response.text(), `${role} replaying ${name}`).toContain("Your role does not allow this action.");
      expect(await catalogState(), `${role} replaying ${name}`).toEqual(before);
    }
    await context.close();
  }
});

for (const role of ["FINANCE", "VIEWER"] as const) {
  test(`a ${role} user reads providers, models and prices without any mutating control`, async ({ browser }) => {
    const [provider] = await query<{ id: string }>(
      `INSERT INTO providers (id, name, kind, base_url, tags, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'https://api.openai.com/v1', '{read}', now()) RETURNING id`,
      [`Read only ${role} ${suffix}`],
    );
    const [model] = await query<{ id: string }>(
      `INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, 'gpt-4o', 'GPT-4o', now()) RETURNING id`,
      [provider!.id],
    );
    await query(
      `INSERT INTO model_prices (id, model_id, input_per_mtok, output_per_mtok, effective_from) VALUES (gen_random_uuid(), $1, 2.5, 10, '2026-01-01')`,
      [model!.id],
    );
    const { context, page } = await signedIn(browser, role);
    const noWriteControls = async () => {
      for (const label of [
        "Add provider",
        "Edit",
        "Disable",
        "Enable",
        "Delete…",
        "Add model",
        "Restore",
        "Add price",
        "Save model",
        "Delete model…",
        "Disable model",
      ]) {
        await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
        await expect(page.getByRole("link", { name: label, exact: true })).toHaveCount(0);
      }
      await expect(page.locator("main form")).toHaveCount(0);
    };

    await page.goto("/providers");
    await expect(page.getByRole("link", { name: `Read only ${role} ${suffix}` })).toBeVisible();
    await noWriteControls();
    await page.goto(`/providers/${provider!.id}`);
    await expect(page.getByRole("row", { name: /GPT-4o/ })).toContainText("$2.50");
    await noWriteControls();
    await page.goto(`/providers/${provider!.id}/models/${model!.id}`);
    await expect(page.getByRole("table", { name: "Price history" }).locator("tbody tr")).toHaveCount(1);
    await noWriteControls();
    await page.goto("/providers/new");
    await expect(page.getByText("Only admins can add providers.")).toBeVisible();
    await noWriteControls();
    await context.close();
  });
}

test("unknown and malformed ids show the not-found page", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "VIEWER");
  for (const path of [
    "/providers/not-a-uuid",
    `/providers/${randomUUID()}`,
    `/providers/${randomUUID()}/edit`,
    `/providers/${randomUUID()}/models/${randomUUID()}`,
    "/providers/%00",
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(500);
    await expect(page.getByRole("heading", { name: "Not found" }), path).toBeVisible();
  }
  await context.close();
});
