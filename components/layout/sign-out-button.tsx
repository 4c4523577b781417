"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: "/login" })}
      className="text-sm text-slate-300 underline-offset-4 hover:text-white hover:underline"
    >
      Sign out
    </button>
  );
}
