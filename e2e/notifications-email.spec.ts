import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";
import { startTestSmtp, type TestSmtp } from "../tests/support/test-smtp";

// Email notifications in a real browser against the built console and its own delivery worker: an
// admin creates an email channel (SMTP with AUTH, open for subscriptions) through the form, adds a
// rule with recipients, sends a test that a real SMTP server on loopback receives, reads the SMTP
// reply in the delivery log and replaces the password (never shown); finance subscribes their own
// address with one button; a viewer sees no button and no recipient.

test("ADMIN creates an email channel and a rule, a test mail arrives; FINANCE subscribes; VIEWER sees no addresses", async ({
  page,
  context,
  browser,
}) => {
  const user = "console-mailer";
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const smtp: TestSmtp = await startTestSmtp({ credentials: { user, password } });
  try {
    const admin = await createUser("ADMIN");
    await signInViaApi(context, admin.email, admin.password);
    const name = `e2e-mail-${randomBytes(3).toString("hex")}`;

    await page.goto("/notifications");
    await page.getByLabel("Email (SMTP)").check();
    await page.getByLabel("Name").first().fill(name);
    await page.getByLabel("SMTP host").fill("169.254.169.254");
    await page.getByLabel("Port").fill(String(smtp.port));
    await page.getByLabel("TLS").selectOption("NONE");
    await page.getByLabel("User name (optional)").fill(user);
    await page.getByLabel("Password (optional)").fill(password);
    await page.getByLabel("From address").fill("console@example.test");
    await page.getByLabel("Finance may subscribe themselves to budget alerts").selectOption("true");
    await page.getByRole("button", { name: "Create email channel" }).click();
    // Refused as a field error, the typed values kept (but never the password).
    await expect(page.getByLabel("SMTP host")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("From address")).toHaveValue("console@example.test");
    await expect(page.getByLabel("TLS")).toHaveValue("NONE");
    await expect(page.getByLabel("Finance may subscribe themselves to budget alerts")).toHaveValue("true");
    await expect(page.getByLabel("Password (optional)")).toHaveValue("");
    expect(await query(`SELECT id FROM notification_channels WHERE name = $1`, [name])).toEqual([]);

    await page.getByLabel("SMTP host").fill(smtp.host);
    await page.getByLabel("Password (optional)").fill(password);
    await page.getByRole("button", { name: "Create email channel" }).click();
    await expect(page.getByText("Email channel created.")).toBeVisible();
    const channel = page.getByRole("listitem").filter({ hasText: name }).first();
    await expect(channel.getByText(`${smtp.host}:${smtp.port}`)).toBeVisible();

    await channel.getByLabel("Recipients").fill("ops@example.test, not-an-address");
    await channel.getByRole("button", { name: "Add rule" }).click();
    await expect(channel.getByText("Address 2 is not a valid email address.")).toBeVisible();
    await channel.getByLabel("Recipients").fill("ops@example.test, team@example.test");
    await channel.getByRole("button", { name: "Add rule" }).click();
    await expect(channel.getByText(/to ops@example\.test, team@example\.test/)).toBeVisible();

    await channel.getByRole("button", { name: `Send a test to ${name}` }).click();
    await expect(page.getByText(/Test queued/).first()).toBeVisible();
    // The console's own worker (every 5 s) sends it.
    await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(smtp.received[0]!.rcptTo.sort()).toEqual(["ops@example.test", "team@example.test"]);
    expect(smtp.received[0]!.user).toBe(user);
    expect(smtp.received[0]!.parsed.subject).toContain("notification.test");

    await channel.getByRole("link", { name: "Settings and delivery log" }).click();
    await expect(page.getByRole("heading", { name: `Delivery log: ${name}` })).toBeVisible();
    await expect(page.getByText("set (sealed, not shown)")).toBeVisible();
    await expect(page.getByText(/SMTP 250/).first()).toBeVisible();
    expect(await page.content()).not.toContain(password);
    await page.getByLabel("New password").fill(`${password}-2`);
    await page.getByRole("button", { name: "Replace password" }).click();
    await expect(page.getByText(/Credentials replaced/)).toBeVisible();
    expect(await page.content()).not.toContain(`${password}-2`);

    const finance = await createUser("FINANCE");
    const financeContext = await browser.newContext();
    try {
      await signInViaApi(financeContext, finance.email, finance.password);
      const financePage = await financeContext.newPage();
      await financePage.goto("/notifications");
      const item = financePage.getByRole("listitem").filter({ hasText: name }).first();
      await item.getByRole("button", { name: "Email me budget alerts" }).click();
      await expect(item.getByRole("button", { name: "Unsubscribe me" })).toBeVisible();
      await expect(item.getByText("your subscription")).toBeVisible();
      const rows = await query<{ owner: string; recipients: string[] }>(
        `SELECT r.owner_user_id::text AS owner, r.recipients FROM notification_rules r
           JOIN notification_channels c ON c.id = r.channel_id WHERE c.name = $1 AND r.owner_user_id IS NOT NULL`,
        [name],
      );
      expect(rows).toEqual([{ owner: finance.id, recipients: [] }]);
      const html = await financePage.content();
      expect(html).not.toContain("ops@example.test");
      expect(html).not.toContain(password);
    } finally {
      await financeContext.close();
    }

    const viewer = await createUser("VIEWER");
    const viewerContext = await browser.newContext();
    try {
      await signInViaApi(viewerContext, viewer.email, viewer.password);
      const viewerPage = await viewerContext.newPage();
      await viewerPage.goto("/notifications");
      await expect(viewerPage.getByText(name)).toBeVisible();
      await expect(viewerPage.getByRole("button", { name: "Email me budget alerts" })).toHaveCount(0);
      const html = await viewerPage.content();
      expect(html).not.toContain("ops@example.test");
      expect(html).not.toContain(finance.email);
    } finally {
      await viewerContext.close();
    }
  } finally {
    await smtp.close();
  }
});
