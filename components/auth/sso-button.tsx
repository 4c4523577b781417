"use client";

import { useTransition } from "react";
import { signIn } from "next-auth/react";
import { buttonClass } from "@/components/ui/button-styles";
import { OIDC_PROVIDER_ID } from "@/lib/auth/oidc-provider-id";

/** Starts the OpenID Connect sign-in: next-auth posts its CSRF token and redirects to the IdP. */
export function SsoButton({ name, callbackUrl, primary }: { name: string; callbackUrl: string; primary: boolean }) {
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      className={`${buttonClass(primary ? "primary" : "secondary")} w-full`}
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          await signIn(OIDC_PROVIDER_ID, { callbackUrl });
        })
      }
    >
      {pending ? "Redirecting…" : `Sign in with ${name}`}
    </button>
  );
}
