// Single sign-on through the built console (`next start`, the real route handler with its origin
// and bad-input guards, the real pages) against a real OpenID Provider on loopback: the sign-in
// page offers the IdP, a sign-in lands a session the console's pages accept, a tampered ID token
// lands on the sign-in page with its message, and no page or endpoint carries the client secret.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { decodeJwt, startTestIdp, type TestIdp } from "../support/test-idp";
import { Browser, freePort, signInWithSso } from "../support/sso-browser";
import { ensureBuild, startConsole, type ConsoleProcess } from "./faults-support";
import { createActor } from "../support/actors";
import { SSO_CALLBACK_RULE } from "@/lib/auth/rate-limit";

ensureBuild();

const suffix = randomUUID().slice(0, 8);
const CLIENT_SECRET = `sso-http-secret-${randomUUID()}`;
let idp: TestIdp;
let server: ConsoleProcess;

beforeAll(async () => {
  // Some user must exist, or /login sends everyone to first-run setup.
  await createActor("ADMIN");
  // The console needs the issuer at start and the IdP the console's callback: the IdP's port is
  // chosen first, and it starts once the console's URL is known (nothing calls it before sign-in).
  const idpPort = await freePort();
  server = await startConsole(process.env.DATABASE_URL!, {
    OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
    OIDC_CLIENT_ID: "provider-console",
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_SCOPES: "openid email profile groups",
    OIDC_NAME: "Test IdP",
    OIDC_ROLE_MAP: "admins=ADMIN,finance=FINANCE,staff=VIEWER",
  });
  idp = await startTestIdp({
    redirectUris: [`${server.url}/api/auth/callback/oidc`],
    port: idpPort,
    clientSecret: CLIENT_SECRET,
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await idp?.close();
}, 60_000);

function account(groups: string[]): { login: string; email: string } {
  const login = `http-${randomUUID().slice(0, 8)}`;
  const email = `${login}-${suffix}@sso.example.test`;
  idp.accounts.set(login, { email, email_verified: true, name: `HTTP ${login}`, groups });
  return { login, email };
}

async function page(browser: Browser, path: string): Promise<{ status: number; html: string }> {
  const response = await browser.request(`${server.url}${path}`);
  return { status: response.status, html: await response.text() };
}

describe("single sign-on through next start", () => {
  test("the sign-in page offers the IdP and neither it nor /api/auth/providers carries the secret", async () => {
    const browser = new Browser();
    const login = await page(browser, "/login");
    expect(login.status).toBe(200);
    expect(login.html).toContain("Sign in with Test IdP");
    expect(login.html).toContain('name="password"');
    const providers = await page(browser, "/api/auth/providers");
    expect(JSON.parse(providers.html)).toMatchObject({ oidc: { id: "oidc", name: "Test IdP", type: "oauth" } });
    for (const text of [login.html, providers.html]) expect(text).not.toContain(CLIENT_SECRET);
  });

  test("an admin signs in through the IdP and the console's pages accept the session", async () => {
    const { login, email } = account(["admins"]);
    const browser = new Browser();
    const attempt = await signInWithSso(browser, server.url, login);
    expect(attempt.landedOn).toBe("/");
    expect(attempt.session?.user).toMatchObject({ email, role: "ADMIN" });
    const users = await page(browser, "/users");
    expect(users.status).toBe(200);
    expect(users.html).toContain(email);
    expect(users.html).toContain("Signs in with");
    // Neither the session cookie nor any page holds an ID token or the secret.
    const token = idp.issuedIdTokens.at(-1)!;
    expect(decodeJwt(token).claims.sub).toBe(login);
    const cookies = JSON.stringify([...browser.jar(server.url)]);
    for (const text of [users.html, cookies]) {
      expect(text).not.toContain(token.split(".")[2]!.slice(0, 40));
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  test("a tampered ID token lands on the sign-in page with its message and no session", async () => {
    const { login } = account(["staff"]);
    idp.tamperNextIdToken((token, { resign }) => resign({ ...decodeJwt(token).claims, aud: "someone-else" }));
    const browser = new Browser();
    const attempt = await signInWithSso(browser, server.url, login);
    expect(attempt.landedOn).toMatch(/^\/login\?(.*&)?error=OAuthCallback$/);
    expect(attempt.session).toBeNull();
    const landed = await page(browser, attempt.landedOn);
    expect(landed.html).toContain("Single sign-on did not complete");
    expect(
      await db.user.count({ where: { ssoIssuer: idp.issuer, ssoSubject: login } }),
      "no account for a refused token",
    ).toBe(0);
  });

  test("an unmapped person gets the refusal page; a hand-edited reason is never reflected", async () => {
    const { login } = account(["contractors"]);
    const browser = new Browser();
    const attempt = await signInWithSso(browser, server.url, login);
    expect(attempt.landedOn).toBe("/login/refused?reason=unmapped");
    const refused = await page(browser, attempt.landedOn);
    expect(refused.status).toBe(200);
    expect(refused.html).toContain("not in any group that has a role");
    const forged = await page(browser, `/login/refused?reason=${encodeURIComponent("<script>x</script>")}`);
    expect(forged.status).toBe(200);
    expect(forged.html).not.toContain("<script>x</script>");
    expect(forged.html).toContain("could not be used");
    const odd = await page(browser, `/login?error=${encodeURIComponent("<b>odd</b>")}`);
    expect(odd.status).toBe(200);
    expect(odd.html).not.toContain("<b>odd</b>");
    expect(odd.html).toContain("Sign-in did not complete");
  });

  // Last in this file, and its count removed after: every suite's browser signs in from 127.0.0.1.
  test("forged callbacks from one address are limited: past the limit the browser is sent to the sign-in page", async () => {
    const key = "sso-callback:127.0.0.1";
    await db.rateLimit.deleteMany({ where: { key } });
    try {
      const forged = () =>
        fetch(`${server.url}/api/auth/callback/oidc?code=forged-${randomUUID()}&state=forged`, { redirect: "manual" });
      for (let index = 0; index < SSO_CALLBACK_RULE.limit; index += 1) {
        const answer = await forged();
        expect(answer.headers.get("location") ?? "").not.toContain("TooManyAttempts");
      }
      const refused = await forged();
      expect(refused.status).toBe(303);
      expect(refused.headers.get("location")).toBe("/login?error=TooManyAttempts");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const login = await page(new Browser(), "/login?error=TooManyAttempts");
      expect(login.html).toContain("Too many sign-in attempts from your network");
    } finally {
      await db.rateLimit.deleteMany({ where: { key } });
    }
  }, 120_000);
});
