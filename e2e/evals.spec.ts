import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";
import { startFakeProvider, type FakeProvider } from "../tests/fake-provider/server";

// An admin imports a dataset whose right answers are known (each prompt tells the fake provider
// what to answer: 3 of 4 right), makes a run, sees its estimate, starts it and watches it finish;
// the results show 75 % and the chart draws one point per row of its table. Finance reads the
// same run without the controls.

let fake: FakeProvider;
test.beforeAll(async () => {
  fake = await startFakeProvider({ host: "127.0.0.1" });
});
test.afterAll(async () => {
  await fake.close();
});

test("an admin runs an evaluation to the end and finance reads its results", async ({ page, context, browser }) => {
  test.setTimeout(120_000);
  const suffix = randomBytes(3).toString("hex");
  // An OpenAI-compatible provider needs no key; the fake answers keyless requests.
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, slug, kind, base_url, enabled, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'openai-compatible', $3, true, now()) RETURNING id`,
    [`Eval fake ${suffix}`, `eval-fake-${suffix}`, `${fake.url}/v1`],
  );
  const [model] = await query<{ id: string }>(
    `INSERT INTO models (id, provider_id, model_id, display_name, updated_at)
     VALUES (gen_random_uuid(), $1, 'fake-small', 'Fake small', now()) RETURNING id`,
    [provider!.id],
  );
  await query(
    `INSERT INTO model_prices (id, model_id, input_per_mtok, output_per_mtok, effective_from)
     VALUES (gen_random_uuid(), $1, 2.5, 10, '2020-01-01')`,
    [model!.id],
  );
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);

  const dataset = `arith-${suffix}`;
  const lines = [1, 2, 3, 4].map((n) =>
    JSON.stringify({ prompt: `What is ${n}+${n}? [[fake-reply:${n === 4 ? 9 : 2 * n}]]`, expected: String(2 * n) }),
  );
  await page.goto("/evals");
  const importForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Import dataset" }) });
  await importForm.getByLabel("Name").fill(dataset);
  await importForm.getByLabel("Contents").fill(lines.join("\n"));
  await importForm.getByRole("button", { name: "Import dataset" }).click();
  await expect(page.getByText("Dataset created with 4 cases.")).toBeVisible();

  await page.reload();
  const runForm = page.locator("form").filter({ has: page.getByRole("button", { name: /Create run/ }) });
  await runForm.getByLabel("Dataset (its latest version)").selectOption({ label: `${dataset} (4 cases)` });
  await runForm.getByRole("checkbox", { name: `Eval fake ${suffix} / fake-small` }).check();
  await runForm.getByRole("button", { name: /Create run/ }).click();
  await runForm.getByRole("link", { name: "Open the run" }).click();
  await expect(page.getByTestId("run-estimate")).toContainText("$");
  await expect(page.getByTestId("run-progress")).toContainText("0 of 4 finished");
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page.getByTestId("run-progress")).toContainText("4 of 4 finished", { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId("run-summary")).toContainText("75.0 %");
  await expect(page.getByTestId("run-summary")).toContainText("(3/4)");
  const tableRows = await page.getByTestId("quality-cost-table").locator("tr").count();
  expect(tableRows).toBe(1);
  await expect(page.locator(".recharts-scatter-symbol")).toHaveCount(tableRows);
  await expect(page.getByTestId("case-table").locator("tbody tr")).toHaveCount(4);
  const runUrl = page.url();

  const finance = await createUser("FINANCE");
  const financeContext = await browser.newContext();
  await signInViaApi(financeContext, finance.email, finance.password);
  const financePage = await financeContext.newPage();
  await financePage.goto(runUrl);
  await expect(financePage.getByTestId("run-summary")).toContainText("75.0 %");
  await expect(financePage.getByRole("button", { name: /Start run|Cancel|Resume/ })).toHaveCount(0);
  const download = financePage.waitForEvent("download");
  await financePage.getByRole("link", { name: "Export CSV" }).click();
  expect((await download).suggestedFilename()).toMatch(/^evaluation-.*\.csv$/);
  await financeContext.close();
});
