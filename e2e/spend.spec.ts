import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { query } from "./support/db";
import { createUser } from "./support/factories";

// Seeds usage straight into the ledger and rollups of the e2e database (the same numbers the
// ingestion path would write), then checks the spend page and its CSV reconcile with them.
async function seedUsage(): Promise<{ providerId: string; providerName: string }> {
  const suffix = randomUUID().slice(0, 8);
  const providerName = `E2E Spend ${suffix}`;
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'https://api.example.test/v1', now()) RETURNING id`,
    [providerName],
  );
  const providerId = provider!.id;
  const day = new Date().toISOString().slice(0, 10);
  await query(
    `INSERT INTO usage_records (source, client_record_id, occurred_at, provider_id, tag, input_tokens, output_tokens, latency_ms, status, cost, priced)
     VALUES ('INGEST', $1, $3::date + interval '1 hour', $2, 'checkout', 1000, 100, 500, 'OK', 1.2345000000, true),
            ('INGEST', $4, $3::date + interval '2 hour', $2, 'checkout', 1000, 100, 700, 'OK', NULL, false)`,
    [`e2e-${suffix}-1`, providerId, day, `e2e-${suffix}-2`],
  );
  await query(
    `INSERT INTO usage_rollup_daily (bucket, provider_id, model_id, key_id, tag, requests, input_tokens, output_tokens, cost_sum, unpriced_count, latency_sum_ms, latency_hist)
     VALUES ($1::date, $2, '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000', 'checkout', 2, 2000, 200, 1.2345, 1, 1200, array_fill(0::int8, ARRAY[674]))`,
    [day, providerId],
  );
  return { providerId, providerName };
}

test("finance sees spend per provider with unpriced usage flagged and downloads the chart CSV", async ({ page, context }) => {
  const { providerId, providerName } = await seedUsage();
  const finance = await createUser("FINANCE");
  await signInViaApi(context, finance.email, finance.password);

  await page.goto(`/spend?provider=${providerId}`);
  await expect(page.getByRole("heading", { name: "Spend" })).toBeVisible();
  await expect(page.getByTestId("spend-total")).toHaveText("$1.23 + 1 unpriced");
  const table = page.getByTestId("spend-table");
  await expect(table.getByRole("columnheader", { name: providerName })).toBeVisible();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download chart CSV" }).click();
  const download = await downloadPromise;
  const stream = await download.createReadStream();
  let csv = "";
  for await (const chunk of stream) csv += chunk.toString();
  expect(csv.split("\r\n")[0]).toBe("period_start,series,series_id,cost_usd,requests,unpriced_requests");
  expect(csv).toContain(`${providerName},${providerId},1.2345000000,2,1`);
});

test("viewers cannot create ingest tokens: the page is not there for them", async ({ page, context }) => {
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  const response = await page.goto("/usage/tokens");
  expect(response?.status()).toBe(404);
});
