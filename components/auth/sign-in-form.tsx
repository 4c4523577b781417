"use client";

import { useState, useTransition } from "react";
import { signIn } from "next-auth/react";
import { TextField } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { sameOriginPath } from "@/lib/request/safe-redirect";

export function SignInForm({ callbackUrl, autoFocus = true }: { callbackUrl: string; autoFocus?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  // onSubmit rather than a form action: React resets a form after its action runs, which would
  // clear the email the person just typed whenever the password was wrong.
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    setError(null);
    startTransition(async () => {
      const result = await signIn("credentials", {
        email: String(formData.get("email") ?? ""),
        password: String(formData.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong email or password.");
        return;
      }
      // Checked again where it is used: the page passes a safe path, but nothing else may reach here.
      window.location.assign(sameOriginPath(callbackUrl, window.location.origin) ?? "/");
    });
  }

  return (
    // method="post": submitted before hydration (or without JavaScript) a form without it is a
    // GET, which puts the password in the URL, the history and any proxy's access log.
    <form onSubmit={submit} method="post" className="space-y-4" noValidate>
      <TextField name="email" label="Email" type="email" autoComplete="username" required autoFocus={autoFocus} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {error}
        </p>
      ) : null}
      <button type="submit" className={`${buttonClass("primary")} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
