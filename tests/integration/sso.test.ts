// Single sign-on (issue #15) against a real OpenID Provider (`oidc-provider`, started here on
// loopback) and the console's real next-auth options and database: the browser goes console →
// IdP login and consent → console callback, and openid-client verifies what the IdP sends.
// Tokens are tampered with in flight (tests/support/test-idp.ts) to prove they are refused.
import { randomUUID, generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { buildAuthOptions } from "@/lib/auth/options";
import { parseSignInSettings, type SignInSettings } from "@/lib/auth/sso-settings";
import { completeSsoSignIn } from "@/lib/auth/sso-sign-in";
import { PASSWORD_SIGN_IN_OFF, SignInError, signInWithPassword } from "@/lib/auth/sign-in";
import { decodeJwt, startTestIdp, type TestIdp } from "../support/test-idp";
import { Browser, freePort, signInWithSso, startAuthServer, type AuthServer } from "../support/sso-browser";
import { signIn as passwordSignInOverHttp } from "./faults-support";

const suffix = randomUUID().slice(0, 8);
const ROLE_MAP = "admins=ADMIN,finance=FINANCE,staff=VIEWER";

let idp: TestIdp;
let consoleServer: AuthServer;
let ssoOnlyServer: AuthServer;
let settings: SignInSettings;
let ssoOnly: SignInSettings;
let breakGlass: { id: string; email: string; password: string };
const stderr: string[] = [];
const originalWrite = process.stderr.write.bind(process.stderr);

function account(groups: string[], extra: { email?: string; email_verified?: boolean } = {}): string {
  const login = `idp-${randomUUID().slice(0, 8)}`;
  idp.accounts.set(login, {
    email: extra.email ?? `${login}-${suffix}@sso.example.test`,
    email_verified: extra.email_verified ?? true,
    name: `SSO ${login}`,
    groups,
  });
  return login;
}

const userBySubject = (subject: string) =>
  db.user.findUnique({
    where: { ssoIssuer_ssoSubject: { ssoIssuer: idp.issuer, ssoSubject: subject } },
    select: { id: true, email: true, role: true, sessionVersion: true, passwordHash: true, ssoSubject: true },
  });

const auditOf = (action: string, targetId: string) =>
  db.auditEvent.findMany({ where: { action, targetId }, orderBy: { id: "asc" } });

const tokenRefusals = (check: string) =>
  db.auditEvent.count({ where: { action: "auth.sso_refused", details: { equals: { reason: "token", check } } } });

async function refusalsFor(subject: string) {
  const rows = await db.auditEvent.findMany({ where: { action: "auth.sso_refused" }, orderBy: { id: "asc" } });
  return rows.filter((row) => (row.details as { subject?: string }).subject === subject);
}

beforeAll(async () => {
  const consolePort = await freePort();
  const ssoOnlyPort = await freePort();
  // next-auth builds its callback URLs from NEXTAUTH_URL; each server below is checked against it.
  process.env.NEXTAUTH_URL = `http://127.0.0.1:${consolePort}`;
  idp = await startTestIdp({
    redirectUris: [
      `http://127.0.0.1:${consolePort}/api/auth/callback/oidc`,
      `http://127.0.0.1:${ssoOnlyPort}/api/auth/callback/oidc`,
    ],
  });
  const password = `break-glass-${randomUUID()}`;
  const admin = await db.user.create({
    data: {
      email: `break-glass-${suffix}@example.test`,
      name: "Break glass",
      role: "ADMIN",
      passwordHash: await hashPassword(password),
    },
    select: { id: true, email: true },
  });
  breakGlass = { ...admin, password };
  const env = {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_SCOPES: "openid email profile groups",
    OIDC_NAME: "Test IdP",
    OIDC_ROLE_MAP: ROLE_MAP,
  };
  settings = parseSignInSettings(env);
  ssoOnly = parseSignInSettings({ ...env, AUTH_PASSWORD_SIGNIN: "off", AUTH_BREAK_GLASS_EMAIL: admin.email });
  consoleServer = await startAuthServer(buildAuthOptions(settings), consolePort);
  ssoOnlyServer = await startAuthServer(buildAuthOptions(ssoOnly), ssoOnlyPort);
  // Log lines are scanned for tokens and the client secret at the end.
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr.push(String(chunk));
    return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
});

afterAll(async () => {
  process.stderr.write = originalWrite;
  await consoleServer?.close();
  await ssoOnlyServer?.close();
  await idp?.close();
});

describe("role mapping", () => {
  test.each([
    [["admins"], "ADMIN"],
    [["finance"], "FINANCE"],
    [["staff"], "VIEWER"],
    [["staff", "finance", "unrelated"], "FINANCE"],
  ])("groups %j sign in as %s, creating the account on first sign-in", async (groups, role) => {
    const login = account(groups);
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toBe("/");
    expect(attempt.session?.user?.role).toBe(role);
    const user = await userBySubject(login);
    expect(user).toMatchObject({ role, passwordHash: null, ssoSubject: login, email: idp.accounts.get(login)?.email });
    expect(attempt.session?.user?.id).toBe(user?.id);
    expect(await auditOf("auth.sso_user_created", user!.id)).toHaveLength(1);
    const signIns = await auditOf("auth.sign_in", user!.id);
    expect(signIns.map((row) => row.details)).toEqual([{ method: "sso" }]);
  });

  test("a person in no mapped group is refused with the refusal page, audited, and gets no account", async () => {
    const login = account(["contractors", "everyone"]);
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toBe("/login/refused?reason=unmapped");
    expect(attempt.session).toBeNull();
    expect(await userBySubject(login)).toBeNull();
    const refusals = await refusalsFor(login);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.details).toMatchObject({ reason: "unmapped", groups: ["contractors", "everyone"] });
  });

  test("a person with no groups claim at all is refused", async () => {
    const login = account([]);
    idp.accounts.set(login, { ...idp.accounts.get(login), groups: undefined });
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toBe("/login/refused?reason=unmapped");
    expect(attempt.session).toBeNull();
  });

  test("a role change at the IdP applies at the next sign-in, ends the old sessions and is audited", async () => {
    const login = account(["admins"]);
    const first = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(first.session?.user?.role).toBe("ADMIN");
    const before = await userBySubject(login);
    idp.accounts.set(login, { ...idp.accounts.get(login), groups: ["staff"] });
    const second = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(second.session?.user?.role).toBe("VIEWER");
    const after = await userBySubject(login);
    expect(after?.role).toBe("VIEWER");
    // The first session's token carries the old version: currentActor refuses it from now on.
    expect(after!.sessionVersion).toBe(before!.sessionVersion + 1);
    expect(first.session?.user?.sessionVersion).toBe(before!.sessionVersion);
    expect(second.session?.user?.sessionVersion).toBe(after!.sessionVersion);
    const changes = await auditOf("auth.sso_role_changed", after!.id);
    expect(changes.map((row) => row.details)).toEqual([{ from: "ADMIN", to: "VIEWER", claim: "groups" }]);
    // Same role next time: no change, no bump.
    await signInWithSso(new Browser(), consoleServer.url, login);
    expect((await userBySubject(login))?.sessionVersion).toBe(after!.sessionVersion);
  });

  test("a person removed from every mapped group is refused and their open sessions end", async () => {
    const login = account(["finance"]);
    await signInWithSso(new Browser(), consoleServer.url, login);
    const before = await userBySubject(login);
    idp.accounts.set(login, { ...idp.accounts.get(login), groups: ["alumni"] });
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toBe("/login/refused?reason=unmapped");
    expect((await userBySubject(login))?.sessionVersion).toBe(before!.sessionVersion + 1);
    expect((await refusalsFor(login)).at(-1)?.details).toMatchObject({ sessionsEnded: true });
  });

  test("a disabled SSO user is refused", async () => {
    const login = account(["staff"]);
    await signInWithSso(new Browser(), consoleServer.url, login);
    await db.user.update({ where: { id: (await userBySubject(login))!.id }, data: { disabled: true } });
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toBe("/login/refused?reason=disabled");
    expect(attempt.session).toBeNull();
  });
});

describe("ID tokens the library must refuse", () => {
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const now = () => Math.floor(Date.now() / 1000);

  test.each([
    [
      "a payload changed under the original signature",
      (token: string) => {
        const [header, , signature] = token.split(".");
        const claims = { ...decodeJwt(token).claims, groups: ["admins"] };
        return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
      },
      "signature",
    ],
    [
      "a token signed by another key under the IdP's key id",
      (token: string) => {
        const [header, payload] = token.split(".");
        return `${header}.${payload}.${sign("sha256", Buffer.from(`${header}.${payload}`), otherKey).toString("base64url")}`;
      },
      "signature",
    ],
    [
      "an expired token (validly signed)",
      (token: string, { resign }: { resign: (claims: Record<string, unknown>) => string }) =>
        resign({ ...decodeJwt(token).claims, iat: now() - 7200, exp: now() - 3600 }),
      "expired",
    ],
    [
      "a token from another issuer (validly signed)",
      (token: string, { resign }: { resign: (claims: Record<string, unknown>) => string }) =>
        resign({ ...decodeJwt(token).claims, iss: "https://idp.attacker.example" }),
      "issuer",
    ],
    [
      "a token for another audience (validly signed)",
      (token: string, { resign }: { resign: (claims: Record<string, unknown>) => string }) =>
        resign({ ...decodeJwt(token).claims, aud: "another-client" }),
      "audience",
    ],
    [
      "a token with another nonce (validly signed)",
      (token: string, { resign }: { resign: (claims: Record<string, unknown>) => string }) =>
        resign({ ...decodeJwt(token).claims, nonce: "not-the-one-we-sent" }),
      "nonce",
    ],
  ])("%s is refused: no session, no account, audited", async (_name, tamper, check) => {
    const login = account(["staff"]);
    const audited = () => tokenRefusals(check);
    const before = await audited();
    idp.tamperNextIdToken(tamper);
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toMatch(/^\/login\?(.*&)?error=OAuthCallback$/);
    expect(attempt.session).toBeNull();
    expect(await userBySubject(login)).toBeNull();
    await expect.poll(audited).toBe(before + 1);
  });

  test("an untampered token for the same person then signs in (the refusals were the tampering)", async () => {
    const login = account(["staff"]);
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.session?.user?.role).toBe("VIEWER");
  });
});

describe("state", () => {
  test("a replayed callback (code and state) is refused, in the same browser and in another", async () => {
    const login = account(["admins"]);
    const victim = new Browser();
    const attempt = await signInWithSso(victim, consoleServer.url, login);
    expect(attempt.session?.user?.role).toBe("ADMIN");
    expect(attempt.callbackUrl).toContain("state=");
    const sessionsBefore = (await auditOf("auth.sign_in", attempt.session!.user!.id!)).length;
    const stateRefusals = await tokenRefusals("state");

    // The same browser again: its state cookie was used up by the first callback.
    const again = await victim.follow(await victim.request(attempt.callbackUrl!), attempt.callbackUrl!);
    expect(again.url).toMatch(/\/login\?(.*&)?error=OAuthCallback$/);

    // An attacker's browser with a sign-in of its own under way (its own state and PKCE cookies).
    const attacker = new Browser();
    const csrf = await attacker.request(`${consoleServer.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    await attacker.request(`${consoleServer.url}/api/auth/signin/oidc`, { form: { csrfToken, json: "true" } });
    const replay = await attacker.follow(await attacker.request(attempt.callbackUrl!), attempt.callbackUrl!);
    expect(replay.url).toMatch(/\/login\?(.*&)?error=OAuthCallback$/);
    const session = await attacker.request(`${consoleServer.url}/api/auth/session`);
    expect(await session.json()).toEqual({});
    expect(await auditOf("auth.sign_in", attempt.session!.user!.id!)).toHaveLength(sessionsBefore);
    // The attacker's browser had a sign-in under way: audited. The victim's had none left: logged only.
    await expect.poll(() => tokenRefusals("state")).toBe(stateRefusals + 1);
  });
});

describe("linking password accounts", () => {
  async function passwordUser(role: "ADMIN" | "FINANCE" | "VIEWER" = "VIEWER") {
    return db.user.create({
      data: { email: `linked-${randomUUID().slice(0, 8)}@example.test`, name: "Has password", role, passwordHash: "x" },
      select: { id: true, email: true, sessionVersion: true },
    });
  }

  test("an existing password user with the same verified email is linked, not duplicated, and keeps the password", async () => {
    const user = await passwordUser("VIEWER");
    const login = account(["finance"], { email: user.email.toUpperCase(), email_verified: true });
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.session?.user?.id).toBe(user.id);
    expect(await db.user.count({ where: { email: user.email } })).toBe(1);
    const row = await userBySubject(login);
    expect(row).toMatchObject({ id: user.id, passwordHash: "x", role: "FINANCE" });
    expect(await auditOf("auth.sso_linked", user.id)).toHaveLength(1);
    expect((await auditOf("auth.sso_role_changed", user.id)).map((r) => r.details)).toEqual([
      { from: "VIEWER", to: "FINANCE", claim: "groups" },
    ]);
    expect(await auditOf("auth.sso_user_created", user.id)).toHaveLength(0);
  });

  test("an unverified email never links: refused, audited, the account untouched", async () => {
    const user = await passwordUser();
    const login = account(["admins"], { email: user.email, email_verified: false });
    const attempt = await signInWithSso(new Browser(), consoleServer.url, login);
    expect(attempt.landedOn).toBe("/login/refused?reason=email_unverified");
    expect(attempt.session).toBeNull();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ role: "VIEWER", ssoSubject: null, sessionVersion: user.sessionVersion });
    expect((await refusalsFor(login))[0]?.details).toMatchObject({ reason: "email_unverified" });
  });

  test("an account already linked to another identity is not taken over by a second one with its email", async () => {
    const user = await passwordUser();
    const first = account(["staff"], { email: user.email });
    await signInWithSso(new Browser(), consoleServer.url, first);
    const second = account(["admins"], { email: user.email });
    const attempt = await signInWithSso(new Browser(), consoleServer.url, second);
    expect(attempt.landedOn).toBe("/login/refused?reason=conflict");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).ssoSubject).toBe(first);
  });

  test("two first sign-ins of one person at once make one account, and both sign in", async () => {
    const subject = `concurrent-${randomUUID()}`;
    const claims = {
      iss: idp.issuer,
      sub: subject,
      email: `${subject}@sso.example.test`,
      email_verified: true,
      groups: ["staff"],
    };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => completeSsoSignIn(claims, settings.sso!)));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const ids = new Set(outcomes.map((outcome) => (outcome.ok ? outcome.user.id : null)));
    expect(ids.size).toBe(1);
    expect(await db.user.count({ where: { email: claims.email } })).toBe(1);
  });
});

describe("SSO-only mode", () => {
  async function passwordSignIn(email: string, password: string) {
    return signInWithPassword(
      { email, password },
      `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`,
      ssoOnly,
    ).then(
      () => "signed in",
      (error: unknown) => (error instanceof SignInError ? error.message : `unexpected: ${String(error)}`),
    );
  }

  test("password sign-in is refused over HTTP for everyone but the break-glass admin", async () => {
    const password = `ordinary-${randomUUID()}`;
    const ordinary = await db.user.create({
      data: { email: `ordinary-${suffix}@example.test`, role: "ADMIN", passwordHash: await hashPassword(password) },
      select: { id: true, email: true },
    });
    const refused = await passwordSignInOverHttp(ssoOnlyServer.url, ordinary.email, password, "198.51.100.10");
    expect(refused.signedIn).toBe(false);
    const failures = await auditOf("auth.sign_in_failed", ordinary.id);
    expect(failures.at(-1)?.details).toMatchObject({ reason: "password_sign_in_off" });

    const allowed = await passwordSignInOverHttp(
      ssoOnlyServer.url,
      breakGlass.email,
      breakGlass.password,
      "198.51.100.11",
    );
    expect(allowed.signedIn).toBe(true);
    expect((await auditOf("auth.sign_in", breakGlass.id)).at(-1)?.details).toMatchObject({
      method: "password",
      breakGlass: true,
    });
    // The ordinary console (password sign-in on) still lets the ordinary admin in.
    expect((await passwordSignInOverHttp(consoleServer.url, ordinary.email, password, "198.51.100.12")).signedIn).toBe(
      true,
    );
  });

  test("one message for every refusal, so the break-glass email cannot be told apart", async () => {
    expect(await passwordSignIn(breakGlass.email, "not the password")).toBe(PASSWORD_SIGN_IN_OFF);
    expect(await passwordSignIn(`nobody-${suffix}@example.test`, "whatever")).toBe(PASSWORD_SIGN_IN_OFF);
    expect(await passwordSignIn(breakGlass.email, breakGlass.password)).toBe("signed in");
  });

  test("the break-glass email must belong to an admin", async () => {
    const password = `demoted-${randomUUID()}`;
    const viewer = await db.user.create({
      data: { email: `demoted-${suffix}@example.test`, role: "VIEWER", passwordHash: await hashPassword(password) },
      select: { email: true },
    });
    const asViewer = { ...ssoOnly, breakGlassEmail: viewer.email };
    const result = await signInWithPassword(
      { email: viewer.email, password },
      `198.51.100.20-${suffix}`,
      asViewer,
    ).then(
      () => "signed in",
      (error: unknown) => (error as Error).message,
    );
    expect(result).toBe(PASSWORD_SIGN_IN_OFF);
  });

  test("SSO still signs people in when password sign-in is off", async () => {
    const login = account(["finance"]);
    // next-auth reads its own URL from NEXTAUTH_URL on each request: this server's, for this test.
    const consoleUrl = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = ssoOnlyServer.url;
    try {
      const attempt = await signInWithSso(new Browser(), ssoOnlyServer.url, login);
      expect(attempt.session?.user?.role).toBe("FINANCE");
    } finally {
      process.env.NEXTAUTH_URL = consoleUrl;
    }
  });
});

describe("bad input and outages", () => {
  test("a hand-made callback (no sign-in under way, made-up code and state) is refused, not a 500", async () => {
    const browser = new Browser();
    const refusals = () => db.auditEvent.count({ where: { action: "auth.sso_refused" } });
    const before = await refusals();
    for (const query of ["code=made-up&state=made-up", "error=access_denied", "", "code=%00%ff&state[]=x"]) {
      const url = `${consoleServer.url}/api/auth/callback/oidc?${query}`;
      const response = await browser.request(url);
      expect(response.status).toBe(302);
      const landed = await browser.follow(response, url);
      // "Callback" when the IdP's own error came back (access_denied): the sign-in page explains both.
      expect(landed.url).toMatch(/\/login\?(.*&)?error=(OAuthCallback|Callback)$/);
    }
    expect(await (await browser.request(`${consoleServer.url}/api/auth/session`)).json()).toEqual({});
    // Anyone can send these: logged, never audit rows (the audits are written without waiting).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await refusals()).toBe(before);
  });

  test("an identity provider that does not answer sends the person back to sign-in with a message", async () => {
    const port = await freePort();
    const down = parseSignInSettings({
      OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
      OIDC_CLIENT_ID: "console",
      OIDC_CLIENT_SECRET: "secret-of-a-provider-that-is-down",
      OIDC_ROLE_MAP: ROLE_MAP,
    });
    const server = await startAuthServer(buildAuthOptions(down), port);
    const consoleUrl = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = server.url;
    try {
      const browser = new Browser();
      const { csrfToken } = (await (await browser.request(`${server.url}/api/auth/csrf`)).json()) as {
        csrfToken: string;
      };
      const start = await browser.request(`${server.url}/api/auth/signin/oidc`, { form: { csrfToken, json: "true" } });
      expect(start.status).toBe(200);
      const { url } = (await start.json()) as { url: string };
      const landed = await browser.follow(await browser.request(url), url);
      expect(landed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?(.*&)?error=OAuthSignin$/);
      expect(landed.visited.join(" ")).not.toContain("secret-of-a-provider-that-is-down");
    } finally {
      process.env.NEXTAUTH_URL = consoleUrl;
      await server.close();
    }
  });
});

describe("secrets", () => {
  test("no ID token or client secret in audit rows or log lines", async () => {
    expect(idp.issuedIdTokens.length).toBeGreaterThan(10);
    const audit = JSON.stringify(await db.auditEvent.findMany({ select: { details: true, actorEmail: true } }));
    const logs = stderr.join("");
    for (const haystack of [audit, logs]) {
      expect(haystack).not.toContain(idp.clientSecret);
      for (const token of idp.issuedIdTokens) {
        expect(haystack).not.toContain(token.split(".")[1]!.slice(0, 40));
        expect(haystack).not.toContain(token.split(".")[2]!.slice(0, 40));
      }
    }
  });
});
