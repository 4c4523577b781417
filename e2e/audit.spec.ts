import { randomUUID } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser, TEST_PASSWORD } from "./support/factories";
import { signInViaApi } from "./support/auth";

const SCRIPT_NAME = "<script>window.__xss = 1</script>Eve";
const IMG_DESCRIPTION = "<img src=x onerror='window.__xss = 2'>";

test("user changes appear on the audit log, filters narrow them, and markup renders as text", async ({
  page,
  context,
}) => {
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  const email = `audited-${randomUUID().slice(0, 8)}@example.test`;

  await page.goto("/users");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Name", { exact: true }).fill(SCRIPT_NAME);
  await page.getByLabel("Role", { exact: true }).selectOption("FINANCE");
  await page.getByLabel("Initial password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`${email} can now sign in.`)).toBeVisible();
  const [user] = await query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
  await page.goto(`/users/${user!.id}`);
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText("Role changed.")).toBeVisible();
  // Free text from elsewhere (a provider description) goes through the same rendering.
  await query(
    `INSERT INTO audit_events (actor_id, actor_email, action, target_type, target_id, details) VALUES ($1, $2, 'provider.updated', 'provider', $3, $4)`,
    [admin.id, admin.email, randomUUID(), JSON.stringify({ description: IMG_DESCRIPTION })],
  );

  await page.goto("/audit");
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toContainText("provider.updated");
  const created = rows.filter({ hasText: "user.created" }).filter({ hasText: email });
  await expect(created).toContainText(admin.email);
  await expect(created).toContainText(user!.id);
  await expect(created).toContainText(SCRIPT_NAME);
  await expect(page.getByText(IMG_DESCRIPTION)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator("main script, main img").count()).toBe(0);

  // Narrow to this user's events: the target filter, then the action filter on top.
  await page.getByLabel("Target").fill(user!.id);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`target=${user!.id}`));
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Action").selectOption("user.role_changed");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=user\.role_changed/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('"from": "FINANCE"');
  await expect(page.getByLabel("Target")).toHaveValue(user!.id);

  // The actor filter: nothing by an unknown actor.
  await page.goto(`/audit?actor=${encodeURIComponent(`nobody-${randomUUID()}`)}`);
  await expect(page.getByText("No events match these filters.")).toBeVisible();
});

test("bad filter parameters are ignored with a notice, never an error page", async ({ page, context }) => {
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  const response = await page.goto("/audit?from=not-a-date&before=-1&action=%3Cscript%3E&to=2026-99-99");
  expect(response?.status()).toBe(200);
  await expect(
    page.getByText("Ignored an invalid action, from date, to date, page position in the address."),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
});

test("the log pages backwards by id with an older link", async ({ page, context }) => {
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  const action = `test.page_${randomUUID().slice(0, 8)}`;
  await query(
    `INSERT INTO audit_events (actor_email, action, target_type, target_id, details)
     SELECT $1, $2, 'test', 'event-' || n, '{}' FROM generate_series(1, 60) AS n`,
    [admin.email, action],
  );
  await page.goto(`/audit?action=${action}`);
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first().locator("td").nth(3)).toHaveText("testevent-60");
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(rows).toHaveCount(10);
  await expect(rows.first().locator("td").nth(3)).toHaveText("testevent-10");
  await expect(rows.last().locator("td").nth(3)).toHaveText("testevent-1");
  await expect(page.getByRole("link", { name: "Older →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Newest" }).click();
  await expect(rows).toHaveCount(50);
});
