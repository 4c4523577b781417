import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { createUser } from "./support/factories";
import { ingest, seedCatalog, todayAt } from "./usage-seed";

// Latencies below 100 ms sit in 1 ms buckets, so the page's percentiles are exact here and can
// be compared with percentile_cont by hand: 10, 20, 30, 40, 50 ms → p50 30, p95 48, p99 49.6.

test("viewer reads latency percentiles, TTFT, error classes and the provider comparison", async ({ page, context }) => {
  const seed = await seedCatalog();
  await ingest(context.request, seed, [
    ...[10, 20, 30, 40, 50].map((latencyMs, i) => ({
      model: "priced" as const,
      at: todayAt(0, 5 + i),
      latencyMs,
      ttftMs: latencyMs / 2,
    })),
    { model: "unpriced", at: todayAt(0, 20), latencyMs: 40, status: "error", errorClass: "rate_limit" },
  ]);
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);

  await page.goto(`/latency?model=${seed.pricedModelId}&by=model`);
  await expect(page.getByRole("heading", { name: "Latency", exact: true })).toBeVisible();
  const latency = page.getByTestId("latency-table");
  await expect(latency.getByRole("row", { name: new RegExp(`priced-${seed.suffix}`) })).toContainText(
    /5\s*30 ms\s*48 ms\s*50 ms/,
  );
  await expect(page.getByTestId("ttft-table")).toContainText("15 ms");

  await page.goto(`/latency?provider=${seed.providerId}`);
  await expect(page.getByTestId("error-rate")).toHaveText("16.67 %");
  await expect(page.getByTestId("error-class-table")).toContainText("rate_limit");
  const comparison = page.getByTestId("provider-comparison").getByRole("row", { name: new RegExp(seed.providerName) });
  // Five priced requests at $0.0035 each: $3.50 per 1,000 priced requests; one unpriced.
  await expect(comparison).toContainText("$0.02 + 1 unpriced");
  await expect(comparison).toContainText("$3.50");

  // The percentile switch is a link: the view stays shareable.
  await page.getByRole("link", { name: "p99" }).first().click();
  await expect(page).toHaveURL(/pct=p99/);
});

test("anonymous visitors are sent to sign in", async ({ page }) => {
  await page.goto("/latency");
  await expect(page).toHaveURL(/\/login/);
});

test("the latency chart draws one line per table row and one point per day with requests", async ({
  page,
  context,
}) => {
  const seed = await seedCatalog();
  const daysAgoAt = (days: number, hour = 12) => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days, hour));
  };
  // The priced model on three days, the unpriced one on two of them.
  await ingest(context.request, seed, [
    { model: "priced", at: daysAgoAt(5), latencyMs: 30 },
    { model: "priced", at: daysAgoAt(3), latencyMs: 40 },
    { model: "priced", at: daysAgoAt(1), latencyMs: 50 },
    { model: "unpriced", at: daysAgoAt(5, 13), latencyMs: 60 },
    { model: "unpriced", at: daysAgoAt(1, 13), latencyMs: 70 },
  ]);
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  await page.goto(`/latency?provider=${seed.providerId}&by=model&per=day`);

  const rows = page.getByTestId("latency-table").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  const chart = page.getByRole("img", { name: /^Total latency/ });
  // recharts draws dots in their own layer, so series are told apart by colour: lines are ordered
  // by label and take CHART_COLOURS in that order (components/charts/line-chart.tsx).
  const CHART_COLOURS = ["#4f46e5", "#0891b2"];
  const expected = new Map([
    [`${seed.providerName} / priced-${seed.suffix}`, 3],
    [`${seed.providerName} / unpriced-${seed.suffix}`, 2],
  ]);
  const labels = [...expected.keys()].sort((a, b) => a.localeCompare(b));
  await expect(chart.locator("path.recharts-line-curve")).toHaveCount(await rows.count());
  await expect(chart.locator("circle.recharts-line-dot")).toHaveCount(5);
  for (const [index, label] of labels.entries()) {
    await expect(page.getByTestId("latency-table").getByRole("cell", { name: label, exact: true })).toHaveCount(1);
    const colour = CHART_COLOURS[index]!;
    await expect(chart.locator(`path.recharts-line-curve[stroke="${colour}"]`), `line of ${label}`).toHaveCount(1);
    await expect(chart.locator(`circle.recharts-line-dot[stroke="${colour}"]`), `points of ${label}`).toHaveCount(
      expected.get(label)!,
    );
  }
});
