import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { createUser } from "./support/factories";
import { ingest, seedCatalog } from "./usage-seed";

const DAYS_SINCE_2020 = Math.ceil((Date.now() - Date.parse("2020-01-01T00:00:00Z")) / 86_400_000);

test("an admin sets retention and deletes old raw records; the usage log no longer has them", async ({
  page,
  context,
}) => {
  const seed = await seedCatalog();
  await ingest(context.request, seed, [
    { model: "priced", at: new Date("2019-05-01T10:00:00Z"), latencyMs: 200 },
    { model: "priced", at: new Date("2019-05-02T10:00:00Z"), latencyMs: 200 },
  ]);
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);

  await page.goto(`/usage?provider=${seed.providerId}&from=2019-05-01&to=2019-05-31`);
  await expect(page.getByTestId("usage-log").locator("tbody tr")).toHaveCount(2);
  await page.getByRole("link", { name: "Retention" }).click();
  await expect(page.getByRole("heading", { name: "Usage retention" })).toBeVisible();

  await page.getByLabel("Keep raw records for (days)").fill("0");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Keep raw records for at least 1 day.")).toBeVisible();
  await page.getByLabel("Keep raw records for (days)").fill(String(DAYS_SINCE_2020));
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText(`Raw records are kept for ${DAYS_SINCE_2020} days.`)).toBeVisible();

  await page.getByLabel("Delete raw records older than (days)").fill(String(DAYS_SINCE_2020));
  await page.getByRole("button", { name: "Delete old raw records now" }).click();
  await expect(
    page.getByText(/raw record\(s\) older than 2019-12-3\d deleted; rollups keep their totals/),
  ).toBeVisible();

  await page.goto(`/usage?provider=${seed.providerId}&from=2019-05-01&to=2019-05-31`);
  await expect(page.getByText("No records match these filters.")).toBeVisible();
  // The rollups keep 2019's history: two requests, unpriced (the model's price starts in 2020).
  await page.goto(`/spend?provider=${seed.providerId}&from=2019-05-01&to=2019-05-31`);
  await expect(page.getByTestId("spend-total")).toHaveText("unpriced (2)");
});

test("retention is an admin page: finance and viewers get a 404", async ({ page, context }) => {
  for (const role of ["FINANCE", "VIEWER"] as const) {
    const user = await createUser(role);
    await context.clearCookies();
    await signInViaApi(context, user.email, user.password);
    const response = await page.goto("/usage/retention");
    expect(response?.status(), role).toBe(404);
    await page.goto("/usage");
    await expect(page.getByRole("link", { name: "Retention" })).toHaveCount(0);
  }
});
