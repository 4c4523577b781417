import "server-only";
import { parseSignInSettings, type SignInSettings } from "@/lib/auth/sso-settings";

export type { SignInSettings, SsoSettings } from "@/lib/auth/sso-settings";

let settings: SignInSettings | undefined;

/**
 * The server's sign-in settings, read once from the environment. instrumentation.ts calls this at
 * start, so a bad configuration stops the server there instead of failing a person's sign-in.
 */
export function signInSettings(): SignInSettings {
  settings ??= parseSignInSettings(process.env);
  return settings;
}

/** What the sign-in page may show: no secret, no issuer internals. */
export function publicSignInOptions(): { ssoName: string | null; passwordSignIn: boolean } {
  const { sso, passwordSignIn } = signInSettings();
  return { ssoName: sso?.name ?? null, passwordSignIn };
}
