import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import Link from "@/components/ui/link";
import type { SsoRefusal } from "@/lib/auth/sso-sign-in";

export const metadata: Metadata = { title: "Sign-in refused" };

// Why the console refused an SSO sign-in the identity provider accepted (lib/auth/sso-sign-in.ts).
const REASONS: Record<SsoRefusal, string> = {
  unmapped:
    "Your identity provider account is not in any group that has a role in this console. Ask your administrator to add you to one.",
  email_unverified:
    "An account with your email already exists here, but your identity provider does not confirm that the email is yours, so the two were not joined. Ask your administrator.",
  no_email: "Your identity provider did not share an email address, which the console needs for a new account.",
  disabled: "Your console account is disabled. Ask your administrator.",
  conflict: "An account with your email is already joined to another single sign-on identity. Ask your administrator.",
  invalid: "The identity provider's answer could not be used. Start again or ask your administrator.",
};

export default async function SignInRefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const message = REASONS[reason as SsoRefusal] ?? REASONS.invalid;
  return (
    <AuthShell title="You cannot sign in" subtitle="Single sign-on worked, but the console refused the account.">
      <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
        {message}
      </p>
      <p className="mt-6 text-sm">
        <Link href="/login" className="font-medium text-indigo-600 hover:text-indigo-500">
          Back to sign-in
        </Link>
      </p>
    </AuthShell>
  );
}
