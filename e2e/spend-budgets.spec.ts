import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

test("an admin sets a provider budget; crossing it shows banners and announces each threshold once", async ({
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

  // Setting a budget already crossed announces it at once: one notification event (each also an
  // audit event) per threshold.
  const thresholds = async () =>
    (
      await query<{ threshold: number }>(
        `SELECT (payload->>'threshold')::int AS threshold FROM notification_outbox
          WHERE kind = 'budget.threshold_reached' AND dedupe_key LIKE $1 ORDER BY threshold`,
        [`budget:provider:${seed.providerId}:%`],
      )
    ).map((event) => event.threshold);
  await expect.poll(thresholds, { timeout: 15_000 }).toEqual([80, 100]);
  const audited = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events a JOIN notification_outbox o ON o.id::text = a.target_id
      WHERE a.action = 'notification.event' AND o.dedupe_key LIKE $1`,
    [`budget:provider:${seed.providerId}:%`],
  );
  expect(audited[0]!.n).toBe(2);
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
