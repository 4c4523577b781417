import { createHash, randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";

// The shown-once flow in a real browser: an admin creates a team and a key, copies the key from the
// one answer that holds it, and after a reload sees only its last 4; then revokes it.

test("ADMIN creates a team and a key, sees the key once, then only its last 4, and revokes it", async ({
  page,
  context,
}) => {
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  const team = `E2E team ${randomBytes(3).toString("hex")}`;
  const keyName = `e2e-key-${randomBytes(3).toString("hex")}`;

  await page.goto("/gateway/teams");
  const teamForm = page.getByRole("form", { name: "New team" });
  await teamForm.getByLabel("Name").fill(team);
  await teamForm.getByLabel("Monthly budget (USD, optional)").fill("250");
  await teamForm.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Team ${team} created.` })).toBeVisible();
  await expect(page.getByTestId("team-row").filter({ hasText: team })).toContainText("$0.00 of $250.00");

  await page.getByRole("link", { name: "Gateway keys" }).click();
  await expect(page).toHaveURL(/\/gateway\/keys$/);
  const form = page.getByRole("form", { name: "New gateway key" });
  await form.getByLabel("Name").fill(keyName);
  await form.getByLabel("Team").selectOption({ label: team });
  await form.getByLabel("Requests per minute").fill("60");
  // A bad range is a field error tied to its input; nothing is created.
  await form.getByLabel("Allowed client addresses").fill("10.0.0.1/8");
  await form.getByRole("button", { name: "Create key" }).click();
  const ips = form.getByLabel("Allowed client addresses");
  await expect(ips).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText(/has host bits set/)).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue(keyName);
  await expect(form.getByLabel("Team")).toHaveValue(/[0-9a-f-]{36}/);
  expect(await query(`SELECT id FROM gateway_keys WHERE name = $1`, [keyName])).toEqual([]);

  await ips.fill("10.0.0.0/8");
  await form.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-gateway-key");
  await expect(shown).toBeVisible();
  await expect(page.getByText(/you will not see it again/).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy key" })).toBeVisible();
  const key = (await shown.textContent())!.trim();
  expect(key).toMatch(/^pcgw-[A-Za-z0-9_-]{43}$/);

  const [row] = await query<{ key_hash: string; last4: string; rpm_limit: number; allowed_ips: string[] }>(
    `SELECT key_hash, last4, rpm_limit, allowed_ips FROM gateway_keys WHERE name = $1`,
    [keyName],
  );
  expect(row).toEqual({
    key_hash: createHash("sha256").update(key).digest("hex"),
    last4: key.slice(-4),
    rpm_limit: 60,
    allowed_ips: ["10.0.0.0/8"],
  });
  const listed = page.getByTestId("gateway-key-row").filter({ hasText: keyName });
  await expect(listed).toContainText(`pcgw-…${key.slice(-4)}`);
  await expect(listed).toContainText("Active");
  await expect(listed).toContainText("0 of 60 / min");

  await page.reload();
  await expect(page.getByTestId("new-gateway-key")).toHaveCount(0);
  expect(await page.content()).not.toContain(key);
  const again = page.getByTestId("gateway-key-row").filter({ hasText: keyName });
  await expect(again).toContainText(`pcgw-…${key.slice(-4)}`);

  await again.getByText("Revoke…").click();
  await again.getByRole("button", { name: "Revoke now" }).click();
  // The confirmation box is required: the browser blocks the submit until it is ticked.
  await expect(again).toContainText("Active");
  await again.getByLabel(/Revoke “.*” now/).check();
  await again.getByRole("button", { name: "Revoke now" }).click();
  await expect(page.getByTestId("gateway-key-row").filter({ hasText: keyName })).toContainText("Revoked");
  const [revoked] = await query<{ status: string; revoked_at: Date | null }>(
    `SELECT status, revoked_at FROM gateway_keys WHERE name = $1`,
    [keyName],
  );
  expect(revoked!.status).toBe("REVOKED");
  expect(revoked!.revoked_at).not.toBeNull();
});

test("VIEWER reads keys, teams and the connect page without any control", async ({ page, context }) => {
  const viewer = await createUser("VIEWER");
  await signInViaApi(context, viewer.email, viewer.password);
  await page.goto("/gateway/keys");
  await expect(page.getByRole("heading", { name: "Gateway keys" })).toBeVisible();
  await expect(page.getByRole("form", { name: "New gateway key" })).toHaveCount(0);
  await expect(page.getByText("Revoke…")).toHaveCount(0);
  await page.getByRole("link", { name: "Connect an app", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Connect an application" })).toBeVisible();
  await expect(page.getByTestId("gateway-base-url")).toHaveText(/^http:\/\/localhost:\d+\/v1$/);
  // Anthropic's SDK adds /v1 itself: its base URL is the gateway's without it.
  await expect(page.getByTestId("snippet-anthropic")).toContainText(/baseURL: "http:\/\/localhost:\d+"/);
});
