// `npx tsx scripts/test-idp.ts`: the tests' OpenID Provider (oidc-provider, a devDependency) on
// http://127.0.0.1:4000 for trying single sign-on by hand (docs/sso.md). Its login page takes any
// password; the login names below carry the groups shown. Development only: never expose it.
import { startTestIdp } from "../tests/support/test-idp";

const consoleUrl = process.env.NEXTAUTH_URL ?? "http://localhost:3000";
const idp = await startTestIdp({
  redirectUris: [`${consoleUrl}/api/auth/callback/oidc`],
  port: Number(process.env.TEST_IDP_PORT ?? 4000),
  clientSecret: "local-test-idp-secret",
});
for (const [login, groups] of Object.entries({
  admin: ["admins"],
  finance: ["finance"],
  viewer: ["staff"],
  nobody: ["contractors"],
})) {
  idp.accounts.set(login, { email: `${login}@idp.example.test`, email_verified: true, name: login, groups });
}
process.stdout.write(
  `Test IdP at ${idp.issuer} (logins: admin, finance, viewer, nobody; any password). Console settings:\n` +
    `OIDC_ISSUER=${idp.issuer} OIDC_CLIENT_ID=${idp.clientId} OIDC_CLIENT_SECRET=local-test-idp-secret ` +
    `OIDC_SCOPES="openid email profile groups" OIDC_NAME="Test IdP" ` +
    `OIDC_ROLE_MAP="admins=ADMIN,finance=FINANCE,staff=VIEWER"\n`,
);
process.on("SIGINT", () => void idp.close().then(() => process.exit(0)));
