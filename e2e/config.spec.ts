import { randomUUID } from "node:crypto";
import { test, expect, type Page } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";

test.describe.configure({ mode: "serial" });

async function seedProvider(
  kind: string,
): Promise<{ providerId: string; name: string; modelId: string; modelName: string }> {
  const name = `Config ${kind} ${randomUUID().slice(0, 12)}`;
  const [provider] = await query<{ id: string }>(
    "INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, $2, 'http://127.0.0.1:9/v1', now()) RETURNING id",
    [name, kind],
  );
  const modelName = `Model ${randomUUID().slice(0, 12)}`;
  const [model] = await query<{ id: string }>(
    "INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, now()) RETURNING id",
    [provider!.id, `model-${randomUUID().slice(0, 12)}`, modelName],
  );
  return { providerId: provider!.id, name, modelId: model!.id, modelName };
}

async function save(page: Page, values: Record<string, string>, expected: string | RegExp) {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: expected })
      .or(page.getByRole("alert").filter({ hasText: expected })),
  ).toBeVisible();
}

const effectiveRow = (page: Page, setting: string) =>
  page.getByRole("table", { name: "Effective configuration" }).getByRole("row", { name: new RegExp(`^${setting}`) });

test("an admin edits the configuration, sees each version's diff and rolls back", async ({ page, context }) => {
  const admin = await createUser("ADMIN");
  const seeded = await seedProvider("anthropic");
  await signInViaApi(context, admin.email, admin.password);
  await page.goto(`/providers/${seeded.providerId}/configuration`);
  await expect(page.getByRole("heading", { name: `Configuration: ${seeded.name}` })).toBeVisible();

  // Anthropic takes temperature 0–1: the error sits next to the field and the typed value stays.
  await save(page, { Temperature: "1.5", "Timeout (ms)": "20000" }, "Check the highlighted fields.");
  await expect(page.getByText("Enter a value between 0 and 1 for Anthropic.")).toBeVisible();
  await expect(page.getByLabel("Temperature", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Temperature", { exact: true })).toHaveValue("1.5");
  await expect(page.getByLabel("Timeout (ms)")).toHaveValue("20000");

  await save(page, { Temperature: "0.4", "Comment (optional)": "first settings" }, "Saved as version 1.");
  await save(page, { Temperature: "0.8", "Monthly budget (USD)": "250" }, "Saved as version 2.");
  await expect(page.getByLabel("Monthly budget (USD)")).toHaveValue("250.00");

  const v2 = page.getByRole("listitem", { name: "Version 2" });
  await expect(v2).toContainText("Temperature: 0.4 → 0.8");
  await expect(v2).toContainText("Monthly budget: not set → $250.00");
  await expect(v2).toContainText(admin.email);
  await expect(page.getByRole("listitem", { name: "Version 1" })).toContainText("first settings");
  await expect(effectiveRow(page, "Temperature")).toContainText("0.8");
  await expect(effectiveRow(page, "Temperature")).toContainText("Provider");

  await page
    .getByRole("listitem", { name: "Version 1" })
    .getByRole("button", { name: "Roll back to this version" })
    .click();
  await expect(page.getByText("Version 1 restored as version 3.")).toBeVisible();
  await expect(page.getByText("Saved as version 2.")).toHaveCount(0);
  const v3 = page.getByRole("listitem", { name: "Version 3" });
  await expect(v3).toContainText("Restores version 1");
  await expect(v3).toContainText("Temperature: 0.8 → 0.4");
  await expect(v3).toContainText("Monthly budget: $250.00 → not set");
  await expect(effectiveRow(page, "Temperature")).toContainText("0.4");
  await expect(page.getByLabel("Temperature", { exact: true })).toHaveValue("0.4");
  const audit = await query<{ action: string }>(
    "SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'config.%' ORDER BY id",
    [seeded.providerId],
  );
  expect(audit.map((row) => row.action)).toEqual(["config.saved", "config.saved", "config.rolled_back"]);

  // The model level: its own value overrides the provider's, the rest is inherited.
  await page.getByLabel("Configure", { exact: true }).selectOption(seeded.modelId);
  await expect(page).toHaveURL(new RegExp(`model=${seeded.modelId}`));
  await expect(page.getByRole("heading", { name: `Configuration: ${seeded.modelName}` })).toBeVisible();
  await save(page, { Temperature: "0.1" }, "Saved as version 1.");
  await expect(effectiveRow(page, "Temperature")).toContainText("0.1");
  await expect(effectiveRow(page, "Temperature")).toContainText("Model");
  await expect(effectiveRow(page, "Timeout")).toContainText("20,000 ms");
  await expect(effectiveRow(page, "Timeout")).toContainText("Provider");
});

test("a save based on an outdated version is refused with who changed it", async ({ browser }) => {
  const admin = await createUser("ADMIN");
  const seeded = await seedProvider("openai");
  const context = await browser.newContext();
  await signInViaApi(context, admin.email, admin.password);
  const first = await context.newPage();
  const second = await context.newPage();
  for (const page of [first, second]) await page.goto(`/providers/${seeded.providerId}/configuration`);
  await save(second, { Retries: "3" }, "Saved as version 1.");
  await save(first, { Retries: "1" }, /^Changed by .+ \(version 1\) — reload/);
  await expect(first.getByLabel("Retries")).toHaveValue("1");
  const rows = await query<{ n: string }>("SELECT count(*) AS n FROM config_versions WHERE provider_id = $1", [
    seeded.providerId,
  ]);
  expect(Number(rows[0]!.n)).toBe(1);
  await context.close();
});

test("a viewer sees the configuration and its history but no form or rollback", async ({ page, context }) => {
  const [admin, viewer] = await Promise.all([createUser("ADMIN"), createUser("VIEWER")]);
  const seeded = await seedProvider("openai");
  for (const [version, temperature] of [
    [1, 0.5],
    [2, 0.9],
  ] as const) {
    await query(
      "INSERT INTO config_versions (id, scope, provider_id, version, values, author_id) VALUES (gen_random_uuid(), 'PROVIDER', $1, $2, $3, $4)",
      [seeded.providerId, version, JSON.stringify({ temperature }), admin.id],
    );
  }
  await signInViaApi(context, viewer.email, viewer.password);
  await page.goto(`/providers/${seeded.providerId}/configuration`);
  await expect(page.getByText("Read-only: your role can view the configuration but not change it.")).toBeVisible();
  await expect(effectiveRow(page, "Temperature")).toContainText("0.9");
  await expect(page.getByRole("listitem", { name: "Version 2" })).toContainText("Temperature: 0.5 → 0.9");
  await expect(page.getByRole("form", { name: "Edit configuration" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save as new version" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Roll back to this version" })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
});
