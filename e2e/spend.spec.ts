import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { createUser } from "./support/factories";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

// Usage arrives through the real ingestion API; the spend page and its CSV must reconcile with it.

test("finance sees spend per provider with unpriced usage flagged and downloads the chart CSV", async ({
  page,
  context,
}) => {
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
  expect(csv.split("\r\n")[0]).toBe(
    "period_start,series,series_id,cost_usd,requests,unpriced_requests,estimated_requests",
  );
  expect(csv).toContain(`${seed.providerName},${seed.providerId},0.0070000000,3,1,0\r\n`);
});

test("viewers cannot create ingest tokens: the page is not there for them", async ({ page, context }) => {
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  const response = await page.goto("/usage/tokens");
  expect(response?.status()).toBe(404);
});

/** hh:00 UTC `days` days ago: always in the past and inside the default 30-day range. */
const daysAgoAt = (days: number, hour = 12) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days, hour));
};

test("the spend chart draws one bar per filled table cell, series by series", async ({ page, context }) => {
  const seed = await seedCatalog();
  // Three days, two tags: day 1 "alpha" only, day 2 both, day 4 "beta" only → 3 rows, 4 bars.
  await ingest(context.request, seed, [
    { model: "priced", at: daysAgoAt(4), latencyMs: 100, tag: "alpha" },
    { model: "priced", at: daysAgoAt(2), latencyMs: 100, tag: "alpha" },
    { model: "priced", at: daysAgoAt(2, 13), latencyMs: 100, tag: "beta" },
    { model: "priced", at: daysAgoAt(1), latencyMs: 100, tag: "beta" },
  ]);
  const finance = await createUser("FINANCE");
  await signInViaApi(context, finance.email, finance.password);
  await page.goto(`/spend?provider=${seed.providerId}&by=tag`);

  const table = page.getByTestId("spend-table");
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(3);
  const headers = await table.locator("thead th").allInnerTexts();
  const seriesLabels = headers.slice(1, -1);
  expect(seriesLabels).toHaveLength(2);
  // Per series (table column i+1, recharts bar layer i): as many drawn bars as filled cells.
  const chart = page.getByRole("img", { name: /Spend chart/ });
  const layers = chart.locator("g.recharts-bar");
  await expect(layers).toHaveCount(seriesLabels.length);
  let drawn = 0;
  for (const [index, label] of seriesLabels.entries()) {
    const cells = await rows.locator(`td:nth-child(${index + 2})`).allInnerTexts();
    const filled = cells.filter((text) => text.trim() !== "—").length;
    expect(filled, `cells of ${label}`).toBeGreaterThan(0);
    await expect(layers.nth(index).locator("path.recharts-rectangle"), `bars of ${label}`).toHaveCount(filled);
    drawn += filled;
  }
  expect(drawn).toBe(4);
  // One x-axis label per table row.
  const periods = await rows.locator("td:first-child").allInnerTexts();
  for (const period of periods)
    await expect(
      chart.locator("text.recharts-cartesian-axis-tick-value").filter({ hasText: new RegExp(`^${period}$`) }),
    ).toHaveCount(1);
});
