import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { SsoSettings } from "@/lib/auth/sso-config";
import { OIDC_PROVIDER_ID } from "@/lib/auth/oidc-provider-id";

export { OIDC_PROVIDER_ID };

export type OidcClaims = Record<string, unknown> & { sub?: unknown };

/**
 * Any standards-compliant OpenID Provider through next-auth's OAuth provider: authorization code
 * with PKCE, state and nonce, and the ID token verified by openid-client (signature against the
 * issuer's published keys, iss, aud, exp, nonce). The ID token's claims are the profile; the
 * console's own checks (role map, linking) run in the signIn callback (lib/auth/sso-sign-in.ts).
 */
export function oidcProvider(sso: SsoSettings): OAuthConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: sso.name,
    type: "oauth",
    wellKnown: `${sso.issuer}/.well-known/openid-configuration`,
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    authorization: { params: { scope: sso.scopes } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    profile(claims) {
      return {
        id: typeof claims.sub === "string" ? claims.sub : "",
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : null,
      };
    },
  };
}
