import { describe, expect, test } from "vitest";
import { parseSignInSettings, SsoConfigError } from "@/lib/auth/sso-settings";
import { mapRole } from "@/lib/auth/sso-role-map";

const SECRET = "very-secret-client-secret-value";
const base = {
  OIDC_ISSUER: "https://idp.example.com/realms/main/",
  OIDC_CLIENT_ID: "console",
  OIDC_CLIENT_SECRET: SECRET,
  OIDC_ROLE_MAP: "admins=ADMIN, finance=finance ,staff=VIEWER",
};

function failure(env: Record<string, string | undefined>): string {
  try {
    parseSignInSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SsoConfigError);
    expect((error as Error).message).not.toContain(SECRET);
    return (error as Error).message;
  }
  throw new Error("expected the settings to be refused");
}

describe("sign-in settings", () => {
  test("no OIDC variables: SSO off, passwords on (npm run build has no environment)", () => {
    expect(parseSignInSettings({})).toEqual({ sso: null, passwordSignIn: true, breakGlassEmail: null });
    expect(parseSignInSettings({ OIDC_ISSUER: "", OIDC_NAME: " " }).sso).toBeNull();
  });

  test("a full configuration parses with its defaults, issuer without a trailing slash", () => {
    const { sso } = parseSignInSettings(base);
    expect(sso).toMatchObject({
      issuer: "https://idp.example.com/realms/main",
      scopes: "openid email profile",
      name: "SSO",
      roleClaim: "groups",
    });
    expect([...sso!.roleMap]).toEqual([
      ["admins", "ADMIN"],
      ["finance", "FINANCE"],
      ["staff", "VIEWER"],
    ]);
  });

  test.each([
    [{ ...base, OIDC_CLIENT_SECRET: undefined }, /OIDC_CLIENT_SECRET/],
    [{ OIDC_CLIENT_ID: "console" }, /OIDC_ISSUER/],
    [{ ...base, OIDC_ISSUER: "http://idp.example.com" }, /OIDC_ISSUER must be an https URL/],
    [{ ...base, OIDC_ISSUER: "not a url" }, /OIDC_ISSUER/],
    [{ ...base, OIDC_SCOPES: "email profile" }, /OIDC_SCOPES must include openid/],
    [{ ...base, OIDC_ROLE_MAP: "admins=ROOT" }, /OIDC_ROLE_MAP entry "admins=ROOT"/],
    [{ ...base, OIDC_ROLE_MAP: " , " }, /OIDC_ROLE_MAP maps no group/],
    [{ ...base, AUTH_PASSWORD_SIGNIN: "no" }, /AUTH_PASSWORD_SIGNIN/],
    [{ ...base, AUTH_PASSWORD_SIGNIN: "off" }, /AUTH_BREAK_GLASS_EMAIL/],
    [{ AUTH_PASSWORD_SIGNIN: "off", AUTH_BREAK_GLASS_EMAIL: "a@example.com" }, /needs single sign-on/],
  ])("refused with the variable named, never its value: %j", (env, message) => {
    expect(failure(env)).toMatch(message);
  });

  test("plain http is accepted on loopback only", () => {
    expect(parseSignInSettings({ ...base, OIDC_ISSUER: "http://127.0.0.1:4000" }).sso?.issuer).toBe(
      "http://127.0.0.1:4000",
    );
  });

  test("SSO-only mode keeps the break-glass email, lower-cased", () => {
    const settings = parseSignInSettings({
      ...base,
      AUTH_PASSWORD_SIGNIN: "off",
      AUTH_BREAK_GLASS_EMAIL: "Root@Example.com",
    });
    expect(settings).toMatchObject({ passwordSignIn: false, breakGlassEmail: "root@example.com" });
  });
});

describe("role mapping", () => {
  const map = parseSignInSettings({ ...base, OIDC_ROLE_MAP: "role=admin=ADMIN,finance=FINANCE,staff=VIEWER" }).sso!
    .roleMap;

  test("the broadest mapped role wins; unmapped groups are ignored", () => {
    expect(mapRole(["staff", "finance", "other"], map)).toBe("FINANCE");
    // The last "=" splits an entry, so a group name may contain "=".
    expect(mapRole(["role=admin"], map)).toBe("ADMIN");
    expect(mapRole("staff finance", map)).toBe("FINANCE");
  });

  test("no mapped group, no claim or a claim of another type maps to nothing", () => {
    expect(mapRole(["contractors"], map)).toBeNull();
    expect(mapRole(undefined, map)).toBeNull();
    expect(mapRole({ admins: true }, map)).toBeNull();
    expect(mapRole([1, null, "staff"], map)).toBe("VIEWER");
  });
});
