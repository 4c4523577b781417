import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { createUser } from "./support/factories";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

test("finance pages through raw records with filters kept in the URL; unpriced rows say so", async ({
  page,
  context,
}) => {
  const seed = await seedCatalog();
  const records = Array.from({ length: 60 }, (_, i) => ({
    model: (i % 10 === 0 ? "unpriced" : "priced") as "priced" | "unpriced",
    at: new Date(todayAt(0, 1).getTime() + i * 1000),
    latencyMs: 100 + i,
    status: (i === 7 ? "error" : "ok") as "ok" | "error",
    errorClass: i === 7 ? "timeout" : undefined,
  }));
  await ingest(context.request, seed, records);
  const finance = await createUser("FINANCE");
  await signInViaApi(context, finance.email, finance.password);

  await page.goto(`/usage?provider=${seed.providerId}`);
  const rows = page.getByTestId("usage-log").locator("tbody tr");
  await expect(rows).toHaveCount(50);
  // Every tenth record used the model with no price: labelled, never shown as $0.
  const unpriced = rows.filter({ hasText: `unpriced-${seed.suffix}` });
  await expect(unpriced).toHaveCount(5);
  for (const row of await unpriced.all()) {
    await expect(row).toContainText("unpriced");
    await expect(row).not.toContainText("$");
  }

  await page.getByRole("link", { name: "Older →" }).first().click();
  await expect(page).toHaveURL(/older=/);
  await expect(rows).toHaveCount(10);
  await page.getByRole("link", { name: "← Newer" }).first().click();
  await expect(page).toHaveURL(/newer=/);
  await expect(rows).toHaveCount(50);

  await page.getByLabel("Status").selectOption("error");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=error/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("timeout");
});

test("the raw CSV of the log's filters downloads for a viewer", async ({ context }) => {
  const seed = await seedCatalog();
  await ingest(context.request, seed, [{ model: "unpriced", at: todayAt(0, 2), latencyMs: 300 }]);
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  const response = await context.request.get(`/api/usage/records?provider=${seed.providerId}`);
  expect(response.status()).toBe(200);
  const csv = await response.text();
  expect(csv.trim().split("\r\n")).toHaveLength(2);
  expect(csv).toContain(",unpriced,");
});
