import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";
import { startFakeProvider, type FakeProvider } from "../tests/fake-provider/server";

// The whole admin journey against a real fake provider on loopback: add it and a key, import its
// models, test the key (latency, first token, tokens, cost), test all with live progress, and
// stream an answer in the playground. No request leaves the machine.

let fake: FakeProvider;
test.beforeAll(async () => {
  fake = await startFakeProvider({ host: "127.0.0.1" });
});
test.afterAll(async () => {
  await fake.close();
});

test("an admin tests a key, runs test all and streams an answer in the playground", async ({ page, context }) => {
  test.setTimeout(120_000);
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  const name = `Fake ${randomBytes(3).toString("hex")}`;
  // The fake delays the first token by 1.5 s for this key, so TTFT and a live run are visible.
  const apiKey = `sk-fake-e2e-slow-1500-${randomBytes(6).toString("hex")}`;

  await page.goto("/providers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Kind").selectOption("openai-compatible");
  await page.getByLabel("Base URL").fill(`${fake.url}/v1`);
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const providerId = /\/providers\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? "";

  const addKey = page.getByRole("form", { name: "Add a key" });
  await addKey.getByLabel("Label").fill("Main");
  await addKey.getByLabel("API key").fill(apiKey);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: "Main" })).toContainText(`…${apiKey.slice(-4)}`);

  // Import: the provider lists fake-small and fake-large; pick both.
  await page.getByRole("button", { name: "List the provider's models" }).click();
  const picker = page.getByRole("form", { name: "Pick models to import" });
  await picker.getByRole("checkbox", { name: /fake-large/ }).check();
  await picker.getByRole("checkbox", { name: /fake-small/ }).check();
  await picker.getByRole("button", { name: "Import selected" }).click();
  await expect(page.getByText(/Imported 2 model\(s\)/)).toBeVisible();
  await expect(page.getByRole("link", { name: "fake-small" }).first()).toBeVisible();

  // Test the key: a real streamed call with its measurements.
  const keyRow = page.getByTestId("key-row").filter({ hasText: "Main" });
  await keyRow.getByRole("button", { name: "Test Main" }).click();
  const outcome = keyRow.getByTestId("call-outcome");
  await expect(outcome).toContainText("OK", { timeout: 20_000 });
  const ttft = Number((await outcome.getByTestId("outcome-ttft").innerText()).replace(/\D/g, ""));
  const total = Number((await outcome.getByTestId("outcome-latency").innerText()).replace(/\D/g, ""));
  expect(ttft).toBeGreaterThanOrEqual(1400);
  expect(total).toBeGreaterThanOrEqual(ttft);
  await expect(outcome.getByTestId("outcome-tokens")).toContainText(/\d+ in \/ \d+ out/);
  // Imported models have no price yet: never shown as $0.
  await expect(outcome.getByTestId("outcome-cost")).toHaveText("unpriced");
  await page.reload();
  await expect(page.getByTestId("key-row").filter({ hasText: "Main" })).toContainText(/OK in \d+ ms/);

  // Test all covers every enabled provider: other specs' providers are switched off for this run.
  const parked = await query<{ id: string }>(
    `UPDATE providers SET enabled = false WHERE id <> $1 AND enabled RETURNING id`,
    [providerId],
  );
  await page.getByRole("link", { name: "Health checks" }).click();
  await page.getByRole("button", { name: "Test all" }).click();
  await expect(page.getByTestId("run-progress")).toContainText("running");
  await expect(page.getByTestId("run-progress")).toContainText("1 / 1 done", { timeout: 20_000 });
  await expect(page.getByTestId("run-progress")).toContainText("finished");
  const row = page.getByTestId("run-result").filter({ hasText: name });
  await expect(row).toContainText("ok");
  await expect(row).toContainText("fake-large");
  await expect(row).toContainText("unpriced");
  await expect(page.getByRole("link", { name: /UTC/ }).first()).toBeVisible();

  // Playground: one prompt, streamed back with its numbers.
  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByLabel("Provider 1").selectOption({ label: name });
  await page.getByLabel("Model 1").selectOption({ label: "fake-small (fake-small)" });
  await page.getByLabel("Prompt").fill("Say hello to the console.");
  await page.getByRole("button", { name: "Send" }).click();
  const answer = page.getByTestId("playground-result");
  await expect(answer.getByTestId("playground-answer")).toContainText("Hello from the fake provider", {
    timeout: 20_000,
  });
  await expect(answer.getByTestId("playground-metrics")).toContainText(/First token\s*[\d,]+ ms/);
  await expect(answer.getByTestId("playground-metrics")).toContainText("unpriced");
  const usage = await query<{ tag: string; n: string }>(
    `SELECT tag, count(*)::text AS n FROM usage_records WHERE provider_id = $1 AND source = 'TEST' GROUP BY tag ORDER BY tag`,
    [providerId],
  );
  expect(usage).toEqual([
    { tag: "health-check", n: "1" },
    { tag: "playground", n: "1" },
    { tag: "test", n: "1" },
  ]);
  await query(`UPDATE providers SET enabled = true WHERE id = ANY($1::uuid[])`, [parked.map((p) => p.id)]);
});

test("FINANCE and VIEWER see the playground read-only and cannot start a run", async ({ page, context }) => {
  for (const role of ["FINANCE", "VIEWER"] as const) {
    await context.clearCookies();
    const user = await createUser(role);
    await signInViaApi(context, user.email, user.password);
    await page.goto("/playground");
    await expect(page.getByText(/Read-only: every prompt is a paid call/)).toBeVisible();
    await page.goto("/health-checks");
    await expect(page.getByRole("heading", { name: "Health checks" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Test all" })).toHaveCount(0);
    const response = await context.request.post("/api/playground", {
      data: {
        providerId: "00000000-0000-4000-8000-000000000000",
        modelId: "00000000-0000-4000-8000-000000000000",
        prompt: "hi",
      },
    });
    expect(response.status()).toBe(403);
  }
});
