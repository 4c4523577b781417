import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { createUser } from "./support/factories";
import { recordGatewayUsage, seedGatewayKey } from "./gateway-usage-seed";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

// Spend by team and gateway key, and the overview's gateway widgets, as finance sees them.

test("finance sees spend stacked by team, estimated usage flagged, and filters by gateway key and by no team", async ({
  page,
  context,
}) => {
  const seed = await seedCatalog();
  const key = await seedGatewayKey(seed);
  // 100,000 input tokens at $2.50 per 1M = $0.25 each, one counted by the tokenizer.
  await recordGatewayUsage(seed, key, [
    { at: todayAt(1), inputTokens: 100_000 },
    { at: todayAt(2), inputTokens: 100_000, estimated: true },
    // A failed request a couple of minutes ago, for the last hour's widgets.
    { at: new Date(Date.now() - 150_000), inputTokens: 0, status: "ERROR" },
  ]);
  // Direct usage (no gateway): 1,000 × $2.50 + 100 × $10 per 1M = $0.0035.
  await ingest(context.request, seed, [{ model: "priced", at: todayAt(3), latencyMs: 400 }]);
  const finance = await createUser("FINANCE");
  await signInViaApi(context, finance.email, finance.password);

  await page.goto(`/spend?provider=${seed.providerId}&by=team`);
  const table = page.getByTestId("spend-table");
  await expect(table.getByRole("columnheader", { name: key.teamName })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "No team" })).toBeVisible();
  await expect(page.getByTestId("spend-estimated")).toContainText("1 request estimated by tokenizer");
  await expect(table.locator("tfoot")).toContainText("$0.50");

  // By name: the "Stack by" select's own name includes its "team" and "gateway key" options.
  await page
    .locator('select[name="gatewayKey"]')
    .selectOption({ label: `${key.teamName} / ${key.keyName} …${key.last4}` });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`gatewayKey=${key.keyId}`));
  await expect(page.getByTestId("spend-total")).toHaveText("$0.50");

  await page.goto(`/spend?provider=${seed.providerId}&by=gatewayKey`);
  await page.locator('select[name="team"]').selectOption({ label: "No team" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("spend-total")).toHaveText("$0.00");
  await expect(
    page.getByTestId("spend-table").getByRole("columnheader", { name: "Direct (no gateway key)" }),
  ).toBeVisible();
  await expect(page.getByTestId("spend-estimated")).toHaveCount(0);

  await page.goto("/");
  await expect(page.getByTestId("overview-gateway-rpm")).toHaveText(/\/min$/);
  await expect(page.getByText(/of \d+ gateway requests failed/)).toBeVisible();
  const topTeams = page.getByTestId("overview-top-teams");
  await expect(topTeams.getByRole("listitem").filter({ hasText: key.teamName })).toContainText("$0.50");
});
