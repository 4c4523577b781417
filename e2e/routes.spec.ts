import { randomUUID } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";

// An admin creates a route through the form, saves a second version, sees each version's diff in
// the history and restores the first.

test.describe.configure({ mode: "serial" });

async function seedModels() {
  const name = `Routes ${randomUUID().slice(0, 8)}`;
  const [provider] = await query<{ id: string; slug: string }>(
    "INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'http://127.0.0.1:9/v1', now()) RETURNING id, slug",
    [name],
  );
  const models = [`fast-${randomUUID().slice(0, 6)}`, `steady-${randomUUID().slice(0, 6)}`];
  for (const modelId of models)
    await query(
      "INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, $2, $2, now())",
      [provider!.id, modelId],
    );
  const option = (modelId: string) => `${name} / ${modelId} (${provider!.slug}/${modelId})`;
  return { name, fast: option(models[0]!), steady: option(models[1]!), fastId: models[0]!, steadyId: models[1]! };
}

test("an admin creates a route, saves a new version and restores the first from the history", async ({
  page,
  context,
}) => {
  const admin = await createUser("ADMIN");
  const seeded = await seedModels();
  const routeName = `chat-${randomUUID().slice(0, 8)}`;
  await signInViaApi(context, admin.email, admin.password);

  await page.goto("/gateway/routes/new");
  await page.getByLabel("Name", { exact: true }).fill(routeName);
  await page.getByLabel("Target 1: provider / model").selectOption({ label: seeded.fast });
  await page.getByRole("button", { name: "Add a target" }).click();
  await page.getByLabel("Target 2: provider / model").selectOption({ label: seeded.steady });
  await page.getByLabel("Timeout, ms (optional)").nth(1).fill("8000");
  await page.getByRole("button", { name: "Create route" }).click();

  await expect(page).toHaveURL(/\/gateway\/routes\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: routeName })).toBeVisible();
  await expect(page.getByText("Settings in force (version 1)")).toBeVisible();
  const settings = page.getByTestId("route-settings");
  await expect(settings).toContainText(`${seeded.name} / ${seeded.fastId} (weight 1)`);
  await expect(settings).toContainText(`${seeded.name} / ${seeded.steadyId} (weight 1, timeout 8000 ms)`);

  // A weight of 0 is refused next to its field; nothing is saved.
  await page.getByLabel("Weight").first().fill("0");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Check the highlighted fields." })).toBeVisible();
  await expect(page.getByLabel("Weight").first()).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Weight").first().fill("1");
  await page.getByLabel("Retries per target").fill("3");
  await page.getByLabel("Comment (optional)").fill("more retries");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 2." })).toBeVisible();
  await expect(page.getByText("Settings in force (version 2)")).toBeVisible();

  const history = page.getByTestId("route-history");
  const v2 = history.locator('[data-version="2"]');
  await expect(v2).toContainText("in force");
  await expect(v2).toContainText("more retries");
  await expect(v2).toContainText(admin.email);
  await expect(v2.getByRole("row", { name: /Retries per target/ })).toContainText("1 → 3");
  await expect(history.locator('[data-version="1"]')).toContainText("Targets");

  await history.locator('[data-version="1"]').getByRole("button", { name: "Restore version 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Version 1 restored as version 3." })).toBeVisible();
  const v3 = history.locator('[data-version="3"]');
  await expect(v3).toContainText("restored version 1");
  await expect(v3.getByRole("row", { name: /Retries per target/ })).toContainText("3 → 1");

  await page.goto("/gateway/routes");
  const row = page.locator(`[data-route-name="${routeName}"]`);
  await expect(row).toContainText("Fallback (in order)");
  await expect(row).toContainText("enabled");
  await expect(row).toContainText("off");
  await expect(row.getByRole("cell").last()).toHaveText("3");
});

test("a viewer sees routes but no editor", async ({ page, context }) => {
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  await page.goto("/gateway/routes");
  await expect(page.getByRole("heading", { level: 1, name: "Routes", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "New route" })).toHaveCount(0);
  const response = await page.goto("/gateway/routes/new");
  expect(response?.status()).toBe(404);
  const missing = await page.goto(`/gateway/routes/${randomUUID()}`);
  expect(missing?.status()).toBe(404);
});
