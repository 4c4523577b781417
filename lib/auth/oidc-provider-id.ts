// next-auth's provider id for single sign-on: the callback path is /api/auth/callback/oidc.
export const OIDC_PROVIDER_ID = "oidc";
