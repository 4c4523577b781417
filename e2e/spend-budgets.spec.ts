import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

test("an admin sets a provider budget; crossing it shows banners and audits each threshold once", async ({
  page,
  context,
}) => {
  const seed = await seedCatalog();
  // 4 × $0.0035 = $0.014 this month: 140 % of a $0.01 budget.
  // Midnight today: this month even in its first minutes (two minutes ago would not be on the 1st).
  await ingest(
    context.request,
    seed,
    Array.from({ length: 4 }, () => ({ model: "priced" as const, at: todayAt(0), latencyMs: 300 })),
  );
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);

  await page.goto("/spend/budgets");
  await page.getByLabel("Budget for").selectOption({ label: seed.providerName });
  await page.getByLabel("Monthly amount (USD)").fill("0.001");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText(/at most 2 decimals/)).toBeVisible();
  await page.getByLabel("Monthly amount (USD)").fill("0.01");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Budget created." })).toBeVisible();

  await page.reload();
  const banner = page.getByTestId("budget-banner").filter({ hasText: seed.providerName });
  await expect(banner).toContainText("used up: $0.01 of $0.01 (140.0 %)");
  await expect(page.getByRole("progressbar", { name: `${seed.providerName} budget used` })).toBeVisible();
  await page.goto(`/spend?provider=${seed.providerId}`);
  await expect(page.getByTestId("budget-banner").filter({ hasText: seed.providerName })).toBeVisible();

  const events = await query<{ threshold: number }>(
    `SELECT (details->>'threshold')::int AS threshold FROM audit_events a JOIN budgets b ON b.id::text = a.target_id
     WHERE a.action = 'budget.threshold_crossed' AND b.scope = $1 ORDER BY a.id`,
    [seed.providerId],
  );
  expect(events.map((event) => event.threshold)).toEqual([80, 100]);
});

test("finance reads budgets without the controls; viewers too", async ({ page, context }) => {
  for (const role of ["FINANCE", "VIEWER"] as const) {
    const user = await createUser(role);
    await context.clearCookies();
    await signInViaApi(context, user.email, user.password);
    await page.goto("/spend/budgets");
    await expect(page.getByRole("heading", { name: "Budgets", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Save budget" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
  }
});
