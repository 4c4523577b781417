import { randomUUID } from "node:crypto";
import { test, expect, type BrowserContext, type Page } from "@playwright/test";
import { query } from "./support/db";
import { createUser, TEST_PASSWORD } from "./support/factories";
import { signInViaApi } from "./support/auth";

const userRow = async (email: string) =>
  (
    await query<{ id: string; role: string; disabled: boolean; session_version: number }>(
      "SELECT id, role, disabled, session_version FROM users WHERE email = $1",
      [email],
    )
  )[0];

async function adminPage(context: BrowserContext): Promise<Page> {
  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  return context.newPage();
}

/** True when the context's session still reaches the console (false: bounced to /login). */
async function sessionWorks(context: BrowserContext): Promise<boolean> {
  const page = await context.newPage();
  await page.goto("/");
  const works = !/\/login/.test(page.url());
  await page.close();
  return works;
}

test("an admin creates, re-roles and disables a user; the user's session ends each time", async ({ browser }) => {
  const adminContext = await browser.newContext();
  const page = await adminPage(adminContext);
  const email = `finance-${randomUUID().slice(0, 8)}@example.test`;

  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Name", { exact: true }).fill("Fin Ance");
  await page.getByLabel("Role", { exact: true }).selectOption("FINANCE");
  await page.getByLabel("Initial password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`${email} can now sign in.`)).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Finance");
  await expect(row).toContainText("Active");
  // The same email again is a field error on the email input.
  await page.getByLabel("Email", { exact: true }).fill(email.toUpperCase());
  await page.getByLabel("Initial password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("A user with this email already exists.").first()).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("aria-invalid", "true");

  const userContext = await browser.newContext();
  await signInViaApi(userContext, email, TEST_PASSWORD);
  expect(await sessionWorks(userContext)).toBe(true);

  await row.getByRole("link", { name: `Manage ${email}` }).click();
  await expect(page.getByRole("heading", { name: email })).toBeVisible();
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText(`Role changed. ${email} has to sign in again.`)).toBeVisible();
  await expect(page.getByLabel("Role", { exact: true })).toHaveValue("VIEWER");
  expect(await userRow(email)).toMatchObject({ role: "VIEWER" });
  expect(await sessionWorks(userContext)).toBe(false);

  await signInViaApi(userContext, email, TEST_PASSWORD);
  expect(await sessionWorks(userContext)).toBe(true);
  await page.getByRole("button", { name: "Disable user" }).click();
  await expect(page.getByText(`${email} is disabled and signed out everywhere.`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Enable user" })).toBeVisible();
  expect(await userRow(email)).toMatchObject({ disabled: true });
  expect(await sessionWorks(userContext)).toBe(false);

  // The disabled user cannot sign in again either (a fresh context: no old cookie to fall back on).
  const retryContext = await browser.newContext();
  const csrf = (await (await retryContext.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await retryContext.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password: TEST_PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  expect(await (await retryContext.request.get("/api/auth/session")).json()).toEqual({});

  await Promise.all([adminContext.close(), userContext.close(), retryContext.close()]);
});

for (const role of ["FINANCE", "VIEWER"] as const) {
  test(`a ${role} user neither sees nor reaches the users and audit pages`, async ({ browser }) => {
    const user = await createUser(role);
    const other = await createUser("VIEWER");
    const context = await browser.newContext();
    await signInViaApi(context, user.email, user.password);
    const page = await context.newPage();
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Overview" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
    for (const path of ["/users", `/users/${other.id}`, "/audit", "/audit?action=user.created"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: "Not found" }), path).toBeVisible();
      await expect(page.getByText(other.email)).toHaveCount(0);
    }
    await context.close();
  });
}

test("a server-action POST captured from an admin and replayed by a FINANCE user is refused", async ({ browser }) => {
  const target = await createUser("VIEWER");
  const adminContext = await browser.newContext();
  const page = await adminPage(adminContext);
  await page.goto(`/users/${target.id}`);
  const captured = page.waitForRequest((request) => request.method() === "POST" && !!request.headers()["next-action"]);
  await page.getByRole("button", { name: "Disable user" }).click();
  const request = await captured;
  await expect(page.getByText("is disabled and signed out everywhere.")).toBeVisible();

  // Put the target back as it was, then replay the admin's exact request as FINANCE.
  await query("UPDATE users SET disabled = false WHERE id = $1", [target.id]);
  const before = await userRow(target.email);
  const auditBefore = await query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE target_id = $1", [
    target.id,
  ]);

  const finance = await createUser("FINANCE");
  const financeContext = await browser.newContext();
  await signInViaApi(financeContext, finance.email, finance.password);
  const headers = request.headers();
  const replayed = await financeContext.request.post(request.url(), {
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"]!,
      accept: headers.accept ?? "text/x-component",
      // Same-origin, as the browser sends it: the role check, not the origin check, must refuse.
      origin: new URL(request.url()).origin,
      ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
    },
    data: request.postDataBuffer() ?? "",
    maxRedirects: 0,
  });
  expect(await replayed.text()).toContain("Your role does not allow this action.");
  expect(await userRow(target.email)).toEqual(before);
  expect(await query("SELECT count(*) AS n FROM audit_events WHERE target_id = $1", [target.id])).toEqual(auditBefore);

  // Without any session the proxy turns the POST away before it reaches the action.
  const anonymous = await browser.newContext();
  const bounced = await anonymous.request.post(request.url(), {
    headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]! },
    data: request.postDataBuffer() ?? "",
    maxRedirects: 0,
  });
  expect(bounced.status()).toBeGreaterThanOrEqual(300);
  expect(await userRow(target.email)).toEqual(before);

  await Promise.all([adminContext.close(), financeContext.close(), anonymous.close()]);
});
