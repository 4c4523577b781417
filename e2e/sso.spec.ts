import { randomUUID } from "node:crypto";
import { test, expect, type Page } from "@playwright/test";
import { startTestIdp, type TestIdp } from "../tests/support/test-idp";
import { createUser } from "./support/factories";
import { query } from "./support/db";
import { freePort, spawnConsole, waitUntilUp, type StartedConsole } from "./support/sso-console";

// Single sign-on in a real browser (issue #15): a console started with OIDC settings and SSO-only
// mode against a real OpenID Provider on loopback (oidc-provider), whose own login and consent
// pages the browser goes through.
let idp: TestIdp;
let sso: StartedConsole;
let breakGlass: { email: string; password: string };
const suffix = randomUUID().slice(0, 8);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  breakGlass = await createUser("ADMIN");
  const port = await freePort();
  idp = await startTestIdp({ redirectUris: [`http://localhost:${port}/api/auth/callback/oidc`] });
  sso = spawnConsole(port, {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_SCOPES: "openid email profile groups",
    OIDC_NAME: "Test IdP",
    OIDC_ROLE_MAP: "console-admins=ADMIN,finance=FINANCE,staff=VIEWER",
    AUTH_PASSWORD_SIGNIN: "off",
    AUTH_BREAK_GLASS_EMAIL: breakGlass.email,
  });
  await waitUntilUp(sso);
});

test.afterAll(async () => {
  await sso?.stop();
  await idp?.close();
});

async function signInThroughIdp(page: Page, login: string): Promise<void> {
  await page.goto(`${sso.url}/login`);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  // The IdP's own pages (oidc-provider's development login and consent).
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("an admin signs in through the identity provider and the users page shows SSO", async ({ page }) => {
  const login = `e2e-admin-${suffix}`;
  const email = `${login}@sso.example.test`;
  idp.accounts.set(login, { email, email_verified: true, name: "SSO Admin", groups: ["console-admins"] });
  await signInThroughIdp(page, login);
  await expect(page).toHaveURL(`${sso.url}/`);
  await expect(page.getByText(email)).toBeVisible();

  await page.goto(`${sso.url}/users`);
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row.getByText("SSO", { exact: true })).toBeVisible();
  await expect(row.getByText("Admin", { exact: true })).toBeVisible();
  const [user] = await query<{ password_hash: string | null; sso_subject: string }>(
    "SELECT password_hash, sso_subject FROM users WHERE email = $1",
    [email],
  );
  expect(user).toEqual({ password_hash: null, sso_subject: login });
  // The page never carries the client secret or a token.
  expect(await page.content()).not.toContain(idp.clientSecret);
});

test("someone in no mapped group sees the refusal page, not the console", async ({ page }) => {
  const login = `e2e-contractor-${suffix}`;
  idp.accounts.set(login, { email: `${login}@sso.example.test`, email_verified: true, groups: ["contractors"] });
  await signInThroughIdp(page, login);
  await expect(page).toHaveURL(`${sso.url}/login/refused?reason=unmapped`);
  await expect(page.getByRole("heading", { name: "You cannot sign in" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "not in any group that has a role" })).toBeVisible();
  const session = await page.request.get(`${sso.url}/api/auth/session`);
  expect(await session.json()).toEqual({});
});

test("SSO-only: the password form is folded away and only the break-glass admin gets in with it", async ({ page }) => {
  const ordinary = await createUser("ADMIN");
  await page.goto(`${sso.url}/login`);
  await expect(page.getByLabel("Password")).toBeHidden();
  await page.getByText("Emergency sign-in with a password").click();

  await page.getByLabel("Email").fill(ordinary.email);
  await page.getByLabel("Password").fill(ordinary.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Password sign-in is turned off. Use single sign-on." }),
  ).toBeVisible();

  await page.getByLabel("Email").fill(breakGlass.email);
  await page.getByLabel("Password").fill(breakGlass.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${sso.url}/`);
  await expect(page.getByText(breakGlass.email)).toBeVisible();
});

test("a console with a bad SSO setting stops at start and names the variable, not the secret", async () => {
  const secret = `bad-config-secret-${randomUUID()}`;
  const bad = spawnConsole(await freePort(), {
    OIDC_ISSUER: "https://idp.example.com",
    OIDC_CLIENT_ID: "console",
    OIDC_CLIENT_SECRET: secret,
    OIDC_ROLE_MAP: "admins=ROOT",
  });
  const code = await Promise.race([bad.exited, new Promise((resolve) => setTimeout(() => resolve("running"), 60_000))]);
  await bad.stop();
  expect(code).toBe(1);
  expect(bad.log()).toContain('OIDC_ROLE_MAP entry "admins=ROOT"');
  expect(bad.log()).not.toContain(secret);
});
