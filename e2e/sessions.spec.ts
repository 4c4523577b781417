import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";

// The browser's own Sign out button ends the session on the server: a copy of the cookie taken
// before signing out (another tab, a stolen cookie) reads nothing afterwards and is not renewed.
test("signing out in the browser ends the session for a copied cookie too", async ({ page, context, browser }) => {
  const user = await createUser("ADMIN");
  const providerName = `e2e-session-${randomBytes(4).toString("hex")}`;
  await query(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'https://api.session.example/v1', now())`,
    [providerName],
  );
  await signInViaApi(context, user.email, user.password);
  const copied = (await context.cookies()).filter((cookie) => cookie.name.includes("next-auth.session-token"));
  expect(copied).toHaveLength(1);

  await page.goto("/providers");
  await expect(page.getByRole("link", { name: providerName })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  const other = await browser.newContext();
  try {
    await other.addCookies(copied);
    const html = await other.request.get("/providers", { maxRedirects: 0 });
    expect(html.status()).toBe(307);
    expect(await html.text()).not.toContain(providerName);
    const rsc = await other.request.get("/providers", { headers: { rsc: "1" } });
    expect(await rsc.text()).not.toContain(providerName);
    const session = await other.request.get("/api/auth/session");
    expect(await session.json()).toEqual({});
    const renewed = session
      .headersArray()
      .filter((header) => header.name.toLowerCase() === "set-cookie" && /session-token=[^;]/.test(header.value));
    expect(renewed).toEqual([]);
    const page2 = await other.newPage();
    await page2.goto("/providers");
    await expect(page2).toHaveURL(/\/login/);
    await expect(page2.getByText(providerName)).toHaveCount(0);
  } finally {
    await other.close();
  }
  const events = await query<{ n: string }>(
    "SELECT count(*) AS n FROM audit_events WHERE action = 'auth.sign_out' AND target_id = $1",
    [user.id],
  );
  expect(Number(events[0]?.n)).toBe(1);
});
