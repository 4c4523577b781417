import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { countUsers } from "@/lib/users/queries";
import { AuthShell } from "@/components/auth/auth-shell";
import { safeCallbackPath } from "@/lib/request/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; setup?: string }>;
}) {
  if ((await countUsers()) === 0) redirect("/setup");
  const { callbackUrl, setup } = await searchParams;
  // Only same-origin paths, checked by parsing (lib/request/safe-redirect.ts): sign-in must not be an open redirect.
  const target = safeCallbackPath(callbackUrl, process.env.NEXTAUTH_URL);
  return (
    <AuthShell title="Sign in" subtitle="Use the account your administrator gave you.">
      {setup === "done" ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200"
        >
          Admin account created. Sign in with it now.
        </p>
      ) : null}
      <SignInForm callbackUrl={target} />
    </AuthShell>
  );
}
