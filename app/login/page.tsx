import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoButton } from "@/components/auth/sso-button";
import { countUsers } from "@/lib/users/queries";
import { AuthShell } from "@/components/auth/auth-shell";
import { safeCallbackPath } from "@/lib/request/safe-redirect";
import { publicSignInOptions } from "@/lib/auth/sso-config";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// next-auth's error codes (pages.error is this page) in words; anything else gets the generic one.
const SIGN_IN_ERRORS: Record<string, string> = {
  OAuthSignin: "The identity provider could not be reached. Try again shortly.",
  OAuthCallback: "Single sign-on did not complete: the identity provider's answer was not valid. Start again.",
  Callback: "Single sign-on was cancelled or refused by the identity provider. Start again.",
  SsoUnavailable: "Sign-in is unavailable right now. Try again shortly.",
  AccessDenied: "You are not allowed to sign in.",
  TooManyAttempts: "Too many sign-in attempts from your network. Wait 15 minutes, then start again.",
};
const GENERIC_ERROR = "Sign-in did not complete. Start again.";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; setup?: string; error?: string }>;
}) {
  if ((await countUsers()) === 0) redirect("/setup");
  const { callbackUrl, setup, error } = await searchParams;
  // Only same-origin paths, checked by parsing (lib/request/safe-redirect.ts): sign-in must not be an open redirect.
  const target = safeCallbackPath(callbackUrl, process.env.NEXTAUTH_URL);
  const { ssoName, passwordSignIn } = publicSignInOptions();
  const errorMessage = typeof error === "string" ? (SIGN_IN_ERRORS[error] ?? GENERIC_ERROR) : null;
  return (
    <AuthShell
      title="Sign in"
      subtitle={passwordSignIn ? "Use the account your administrator gave you." : "Use your organisation's sign-in."}
    >
      {setup === "done" ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200"
        >
          Admin account created. Sign in with it now.
        </p>
      ) : null}
      {errorMessage ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {errorMessage}
        </p>
      ) : null}
      {ssoName ? <SsoButton name={ssoName} callbackUrl={target} primary={!passwordSignIn} /> : null}
      {ssoName && passwordSignIn ? (
        <p className="my-4 text-center text-xs uppercase tracking-wide text-slate-500">or</p>
      ) : null}
      {passwordSignIn ? (
        <SignInForm callbackUrl={target} />
      ) : (
        // SSO-only mode: the form stays reachable for the break-glass admin; the server refuses anyone else.
        <details className="mt-6 text-sm text-slate-600">
          <summary className="cursor-pointer">Emergency sign-in with a password</summary>
          <div className="mt-4">
            <SignInForm callbackUrl={target} autoFocus={false} />
          </div>
        </details>
      )}
    </AuthShell>
  );
}
