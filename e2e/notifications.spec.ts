import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";

// Notifications in a real browser against the built console and its own delivery worker: an admin
// creates a webhook channel (a metadata address refused as a field error), copies the signing
// secret from the one answer that holds it, sends a test that a receiver on loopback verifies with
// that secret, reads the delivery log and rotates the secret; finance reads the page without the
// URL's path.

type Hit = { eventId: string; valid: (secret: string) => boolean; json: { kind?: string } };

async function startReceiver(): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(request.headers["x-console-timestamp"] ?? "");
      const signature = String(request.headers["x-console-signature"] ?? "");
      hits.push({
        eventId: String(request.headers["x-console-event-id"] ?? ""),
        json: JSON.parse(body) as { kind?: string },
        valid: (secret) => {
          const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
          return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
        },
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const path = `/hooks/${randomBytes(8).toString("hex")}`;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("ADMIN creates a webhook channel, sees its secret once, a signed test arrives and is logged, the secret rotates; FINANCE reads without the URL", async ({
  page,
  context,
  browser,
}) => {
  const receiver = await startReceiver();
  try {
    const admin = await createUser("ADMIN");
    await signInViaApi(context, admin.email, admin.password);
    const name = `e2e-hook-${randomBytes(3).toString("hex")}`;

    await page.goto("/notifications");
    await expect(page.getByRole("heading", { name: "Notifications" })).toBeVisible();
    const url = page.getByLabel("Webhook URL");
    await page.getByLabel("Name").first().fill(name);
    await url.fill("http://169.254.169.254/latest/meta-data");
    await page.getByRole("button", { name: "Create channel" }).click();
    await expect(url).toHaveAttribute("aria-invalid", "true");
    expect(await query(`SELECT id FROM notification_channels WHERE name = $1`, [name])).toEqual([]);

    await url.fill(receiver.url);
    await page.getByRole("button", { name: "Create channel" }).click();
    const shown = page.getByTestId("new-channel-secret");
    await expect(shown).toBeVisible();
    const secret = (await shown.textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    await page.getByRole("button", { name: `Send a test to ${name}` }).click();
    await expect(page.getByText(/Test queued/).first()).toBeVisible();
    // The console's own worker (every 5 s) delivers it.
    await expect.poll(() => receiver.hits.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(receiver.hits[0]!.json.kind).toBe("notification.test");
    expect(receiver.hits[0]!.valid(secret)).toBe(true);
    expect(receiver.hits[0]!.valid(`${secret}x`)).toBe(false);

    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await page.getByRole("link", { name: "Delivery log" }).first().click();
    await expect(page).toHaveURL(/\/notifications\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: `Delivery log: ${name}` })).toBeVisible();
    await expect(page.getByText("delivered").first()).toBeVisible();
    await expect(page.getByText(/204/).first()).toBeVisible();
    expect(await page.content()).not.toContain(secret);

    // Rotating the signing secret: behind a confirmation box, shown once, and the next test is
    // signed with the new secret only.
    const channelUrl = page.url();
    const rotate = page.getByRole("button", { name: "Rotate secret" });
    await rotate.click();
    await expect(page.getByTestId("rotated-channel-secret")).toHaveCount(0);
    await page.getByLabel(`Replace the signing secret of “${name}” now.`).check();
    await rotate.click();
    const rotatedShown = page.getByTestId("rotated-channel-secret");
    await expect(rotatedShown).toBeVisible();
    const rotated = (await rotatedShown.textContent())!.trim();
    expect(rotated).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(rotated).not.toBe(secret);
    const hitsBefore = receiver.hits.length;
    await page.goto("/notifications");
    await page.getByRole("button", { name: `Send a test to ${name}` }).click();
    await expect.poll(() => receiver.hits.length, { timeout: 30_000 }).toBeGreaterThan(hitsBefore);
    expect(receiver.hits.at(-1)!.valid(rotated)).toBe(true);
    expect(receiver.hits.at(-1)!.valid(secret)).toBe(false);
    await page.goto(channelUrl);
    expect(await page.content()).not.toContain(rotated);

    const finance = await createUser("FINANCE");
    const financeContext = await browser.newContext();
    try {
      await signInViaApi(financeContext, finance.email, finance.password);
      const financePage = await financeContext.newPage();
      await financePage.goto("/notifications");
      await expect(financePage.getByText(name)).toBeVisible();
      await expect(financePage.getByRole("button", { name: "Create channel" })).toHaveCount(0);
      await expect(financePage.getByRole("button", { name: `Send a test to ${name}` })).toHaveCount(0);
      const html = await financePage.content();
      expect(html).not.toContain(new URL(receiver.url).pathname);
      expect(html).not.toContain(secret);
    } finally {
      await financeContext.close();
    }
  } finally {
    await receiver.close();
  }
});
