import { createHash, randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { seedCatalog, todayAt } from "./usage-seed";

// What the console shows for the gateway: provider slugs (derived, edited, a clash as a field
// error), hard budgets on the budget list, and gateway records in the usage log (key name + last 4,
// team, estimated and cancelled markers, the team filter in the URL).

test("an admin sees the derived slug, is told a taken slug is taken, and renames it", async ({ context, page }) => {
  const suffix = randomUUID().slice(0, 8);
  await query(
    `INSERT INTO providers (id, name, kind, base_url, slug, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'https://api.example.test/v1', $2, now())`,
    [`Holder ${suffix}`, `held-${suffix}`],
  );
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);

  await page.goto("/providers/new");
  await page.getByLabel("Name", { exact: true }).fill(`Slug Demo ${suffix}`);
  await page.getByLabel("Import the default models and prices").uncheck();
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByRole("heading", { name: `Slug Demo ${suffix}` })).toBeVisible();
  await expect(page.getByText(`slug-demo-${suffix}/<model id>`, { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Edit" }).click();
  const slug = page.getByLabel("Slug", { exact: true });
  await expect(slug).toHaveValue(`slug-demo-${suffix}`);
  await slug.fill(`held-${suffix}`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(
    page.getByText(`The slug “held-${suffix}” already belongs to the provider “Holder ${suffix}”.`),
  ).toBeVisible();
  await expect(slug).toHaveAttribute("aria-invalid", "true");

  await slug.fill(`demo-${suffix}`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`demo-${suffix}/<model id>`, { exact: true })).toBeVisible();
  await page.goto("/providers");
  await expect(page.getByRole("row", { name: new RegExp(`Slug Demo ${suffix}`) })).toContainText(`demo-${suffix}`);
});

test("an admin sets a hard budget and the list says it is hard", async ({ context, page }) => {
  const seed = await seedCatalog();
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  await page.goto("/spend/budgets");
  await page.getByLabel("Budget for").selectOption(seed.providerId);
  await page.getByLabel("Monthly amount (USD)").fill("75");
  await page.getByLabel("Hard").check();
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText("Budget created.")).toBeVisible();
  const card = page.locator("section", { hasText: `${seed.providerName}:` });
  await expect(card.getByText("hard", { exact: true })).toBeVisible();
});

test("finance sees gateway records with their key, team and markers, and filters by team", async ({
  context,
  page,
}) => {
  const seed = await seedCatalog();
  const teams = await query<{ id: string; name: string }>(
    `INSERT INTO teams (id, name, updated_at) VALUES (gen_random_uuid(), $1, now()), (gen_random_uuid(), $2, now()) RETURNING id, name`,
    [`search-${seed.suffix}`, `billing-${seed.suffix}`],
  );
  const [search, billing] = [
    teams.find((t) => t.name.startsWith("search"))!,
    teams.find((t) => t.name.startsWith("billing"))!,
  ];
  const keyOf = async (teamId: string, name: string, last4: string) =>
    (
      await query<{ id: string }>(
        `INSERT INTO gateway_keys (id, team_id, name, key_hash, last4, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, now()) RETURNING id`,
        [teamId, name, createHash("sha256").update(randomBytes(32)).digest("hex"), last4],
      )
    )[0]!.id;
  const searchKey = await keyOf(search.id, `checkout-${seed.suffix}`, "Zq9x");
  const billingKey = await keyOf(billing.id, `invoices-${seed.suffix}`, "Mn4k");
  const insert = (minute: number, keyId: string, teamId: string, status: string, estimated: boolean) =>
    query(
      `INSERT INTO usage_records (source, client_record_id, occurred_at, provider_id, model_id, input_tokens, output_tokens,
         latency_ms, status, gateway_key_id, team_id, estimated)
       VALUES ('GATEWAY', $1, $2, $3, $4, 100, 10, 300, $5::"UsageStatus", $6, $7, $8)`,
      [randomUUID(), todayAt(0, minute), seed.providerId, seed.pricedModelId, status, keyId, teamId, estimated],
    );
  await insert(1, searchKey, search.id, "OK", true);
  await insert(2, searchKey, search.id, "CANCELLED", false);
  await insert(3, billingKey, billing.id, "OK", false);
  const finance = await createUser("FINANCE");
  await signInViaApi(context, finance.email, finance.password);

  await page.goto(`/usage?provider=${seed.providerId}`);
  const rows = page.getByTestId("usage-log").locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "Zq9x" })).toHaveCount(2);
  await expect(rows.filter({ hasText: `invoices-${seed.suffix} …Mn4k` })).toContainText(`billing-${seed.suffix}`);
  const estimated = rows.filter({ hasText: "estimated" });
  await expect(estimated).toHaveCount(1);
  await expect(estimated.locator("[title*='tokenizer']")).toHaveCount(1);
  await expect(rows.filter({ hasText: "cancelled" }).locator("[title*='disconnected mid-stream']")).toHaveCount(1);

  await page.getByLabel("Team").selectOption(search.id);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`team=${search.id}`));
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Status").selectOption("cancelled");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=cancelled/);
  await expect(rows).toHaveCount(1);

  const csv = await (
    await context.request.get(`/api/usage/records?provider=${seed.providerId}&team=${billing.id}`)
  ).text();
  const [header, ...lines] = csv.trim().split("\r\n");
  expect(lines).toHaveLength(1);
  const cells = Object.fromEntries(lines[0]!.split(",").map((cell, i) => [header!.split(",")[i], cell]));
  expect(cells).toMatchObject({
    gateway_key: `invoices-${seed.suffix}`,
    gateway_key_last4: "Mn4k",
    team: billing.name,
  });
});
