import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { createUser } from "./support/factories";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

// Usage arrives through the real ingestion API; the spend page and its CSV must reconcile with it.

test("finance sees spend per provider with unpriced usage flagged and downloads the chart CSV", async ({ page, context }) => {
  const seed = await seedCatalog();
  // Two priced records at 1,000 input × $2.50 + 100 output × $10 per 1M tokens = $0.0035 each.
  await ingest(context.request, seed, [
    { model: "priced", at: todayAt(1), latencyMs: 500 },
    { model: "priced", at: todayAt(1, 30), latencyMs: 600 },
    { model: "unpriced", at: todayAt(2), latencyMs: 700 },
  ]);
  const finance = await createUser("FINANCE");
  await signInViaApi(context, finance.email, finance.password);

  await page.goto(`/spend?provider=${seed.providerId}`);
  await expect(page.getByRole("heading", { name: "Spend", exact: true })).toBeVisible();
  await expect(page.getByTestId("spend-total")).toHaveText("$0.01 + 1 unpriced");
  const table = page.getByTestId("spend-table");
  await expect(table.getByRole("columnheader", { name: seed.providerName })).toBeVisible();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download chart CSV" }).click();
  const download = await downloadPromise;
  let csv = "";
  for await (const chunk of await download.createReadStream()) csv += chunk.toString();
  expect(csv.split("\r\n")[0]).toBe("period_start,series,series_id,cost_usd,requests,unpriced_requests");
  expect(csv).toContain(`${seed.providerName},${seed.providerId},0.0070000000,3,1`);
});

test("viewers cannot create ingest tokens: the page is not there for them", async ({ page, context }) => {
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  const response = await page.goto("/usage/tokens");
  expect(response?.status()).toBe(404);
});
