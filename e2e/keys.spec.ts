import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser, type Role } from "./support/factories";
import { signInViaApi } from "./support/auth";

// Seeds key rows directly: the list shows metadata only, so a ciphertext that does not open is
// exactly what an "undecryptable" row looks like.
async function seedProviderWithKeys() {
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'http://127.0.0.1:9/v1', now()) RETURNING id`,
    [`keys-e2e-${randomBytes(4).toString("hex")}`],
  );
  const insert = `INSERT INTO provider_keys (id, provider_id, label, ciphertext, master_key_id, last4, fingerprint, status, is_primary, expires_at)
                  VALUES (gen_random_uuid(), $1, $2, 'v1:e2e1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'e2e1', $3, $4, $5, $6, $7)`;
  await query(insert, [provider!.id, "Main key", "9f3a", "0123456789abcdef", "ACTIVE", true, null]);
  await query(insert, [
    provider!.id,
    "Old key",
    "77b1",
    "fedcba9876543210",
    "ACTIVE",
    false,
    new Date(Date.now() - 60_000),
  ]);
  return provider!.id;
}

for (const role of ["FINANCE", "VIEWER"] as Role[]) {
  test(`${role} sees key metadata but no key controls and no settings page`, async ({ page, context }) => {
    const providerId = await seedProviderWithKeys();
    const user = await createUser(role);
    await signInViaApi(context, user.email, user.password);
    await page.goto(`/providers/${providerId}`);
    const rows = page.getByTestId("key-row");
    await expect(rows.filter({ hasText: "Main key" })).toContainText("…9f3a");
    await expect(rows.filter({ hasText: "Main key" })).toContainText("Undecryptable");
    // The expiry sweep ran when the list was read.
    await expect(rows.filter({ hasText: "Old key" })).toContainText("Expired");
    await expect(page.getByRole("form", { name: "Add a key" })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Rotate the primary key" })).toHaveCount(0);
    await expect(page.getByText("Revoke…")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /reveal|show/i })).toHaveCount(0);

    // The console layout streams, so the status is already sent; the page renders "Not found".
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByRole("button", { name: /Re-encrypt/ })).toHaveCount(0);
  });
}

test("ADMIN revokes a key after confirming and sets another primary", async ({ page, context }) => {
  const providerId = await seedProviderWithKeys();
  await query(`UPDATE provider_keys SET expires_at = NULL WHERE provider_id = $1`, [providerId]);
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  await page.goto(`/providers/${providerId}`);
  const oldRow = page.getByTestId("key-row").filter({ hasText: "Old key" });
  await oldRow.getByRole("button", { name: "Make Old key primary" }).click();
  await expect(oldRow).toContainText("Primary");

  const mainRow = page.getByTestId("key-row").filter({ hasText: "Main key" });
  await mainRow.getByText("Revoke…").click();
  await mainRow.getByRole("button", { name: "Revoke now" }).click();
  // The confirmation box is required: the browser blocks the submit until it is ticked.
  await expect(mainRow).toContainText("Active");
  await mainRow.getByLabel(/Revoke “Main key” now/).check();
  await mainRow.getByRole("button", { name: "Revoke now" }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: "Main key" })).toContainText("Revoked");
  const audit = await query<{ action: string }>(
    `SELECT action FROM audit_events WHERE target_type = 'provider_key' AND details->>'providerId' = $1 ORDER BY id`,
    [providerId],
  );
  expect(audit.map((event) => event.action)).toEqual(["key.primary_changed", "key.revoked"]);
});
