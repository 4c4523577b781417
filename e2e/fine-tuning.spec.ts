import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";
import { startFakeProvider, type FakeProvider } from "../tests/fake-provider/server";

// Fine-tuning in the browser (docs/fine-tuning.md): a training file with mistakes on known lines
// shows exactly those lines next to the field and reaches no provider; a good file uploads with a
// progress bar and is listed with its counts; a job is created, listed, and its page follows it.

let fake: FakeProvider;
test.beforeAll(async () => {
  fake = await startFakeProvider({ host: "127.0.0.1", fineTuneStepMs: 300 });
});
test.afterAll(async () => {
  await fake.close();
});

const example = (n: number) =>
  JSON.stringify({
    messages: [
      { role: "user", content: `Question ${n}?` },
      { role: "assistant", content: `Answer ${n}.` },
    ],
  });

test("an admin validates, uploads and fine-tunes, and sees the job", async ({ page, context }) => {
  test.setTimeout(240_000);
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  const name = `FT ${randomBytes(3).toString("hex")}`;

  await page.goto("/providers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Kind").selectOption("openai-compatible");
  await page.getByLabel("Base URL").fill(`${fake.url}/v1`);
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const providerId = /\/providers\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? "";
  const addKey = page.getByRole("form", { name: "Add a key" });
  await addKey.getByLabel("Label").fill("Main");
  await addKey.getByLabel("API key").fill(`sk-fake-ft-${randomBytes(6).toString("hex")}`);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: "Main" })).toBeVisible();
  await query(
    `INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, 'fake-small', 'fake-small', now())`,
    [providerId],
  );

  await page.goto("/fine-tuning");
  const upload = page.getByRole("form", { name: "Upload a fine-tuning file" });
  await upload.getByLabel("Provider").selectOption({ label: `${name} (OpenAI-compatible)` });

  // Mistakes on lines 2 and 5: exactly those are named, and nothing reached the provider.
  const bad = Array.from({ length: 12 }, (_, i) => example(i));
  bad[1] = "{oops";
  bad[4] = JSON.stringify({ messages: [{ role: "user", content: "no answer" }] });
  await upload.getByLabel(/JSONL file/).setInputFiles({
    name: "bad.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(bad.join("\n")),
  });
  await upload.getByRole("button", { name: "Validate and upload" }).click();
  const errors = upload.getByTestId("fine-tune-errors");
  await expect(errors).toContainText("Line 2 is not valid JSON.");
  await expect(errors.getByRole("listitem")).toHaveCount(2);
  await expect(errors.getByRole("listitem").nth(1)).toContainText("Line 5 has no assistant message");
  expect(fake.count("openai.files")).toBe(0);

  // A good file of a few MB: the progress bar shows while it goes, then its counts.
  const lines = Array.from({ length: 40_000 }, (_, i) => example(i)).join("\n");
  await upload.getByLabel(/JSONL file/).setInputFiles({
    name: "train.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(lines),
  });
  await upload.getByRole("button", { name: "Validate and upload" }).click();
  await expect(upload.getByRole("status")).toContainText("Uploaded train.jsonl", { timeout: 60_000 });
  await expect(upload.getByRole("status")).toContainText("40,000 examples");
  expect([...fake.fineTuning.files.values()].map((file) => file.bytes)).toEqual([Buffer.byteLength(lines)]);
  await expect(page.getByRole("cell", { name: "train.jsonl" })).toBeVisible();

  // A job: created at the provider, listed, its page shows it live.
  const form = page.getByRole("form", { name: "New fine-tuning job" });
  await form.getByLabel("Provider").selectOption({ label: `${name} (OpenAI-compatible)` });
  await form.getByLabel("Suffix").fill("e2e-bot");
  await form.getByLabel("Epochs").fill("2");
  await expect(form.getByTestId("fine-tune-estimate")).toContainText("unpriced");
  await form.getByRole("button", { name: "Create fine-tuning job" }).click();
  await expect(form.getByText("Fine-tuning job created")).toBeVisible();
  expect(fake.fineTuning.jobs.size).toBe(1);
  await page
    .getByRole("link", { name: /UTC|\d{4}-\d{2}-\d{2}/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: /Fine-tuning: fake-small · e2e-bot/ })).toBeVisible();
  await expect(page.getByTestId("fine-tune-status")).toBeVisible();
  // The console's maintenance tick (once a minute) polls it to the end; the page re-reads itself.
  await expect(page.getByTestId("fine-tune-status")).toContainText("Succeeded", { timeout: 130_000 });
  await expect(page.getByText(/callable as .*\/ft:fake-small:e2e-bot:/)).toBeVisible();
  await expect(page.getByText(/unpriced until an admin enters its price/)).toBeVisible();
  await expect(page.getByRole("img", { name: "Training loss per step" })).toBeVisible();
  await expect(page.getByTestId("fine-tune-events")).toContainText("The job has successfully completed");
});
