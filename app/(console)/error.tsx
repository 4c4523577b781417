"use client";

import { buttonClass } from "@/components/ui/button";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg bg-white p-8 shadow-sm ring-1 ring-red-200">
      <h1 className="text-lg font-semibold text-red-800">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-600">
        The error was logged{error.digest ? ` (reference ${error.digest})` : ""}. If the database is restarting, try
        again in a few seconds.
      </p>
      <button type="button" onClick={reset} className={`${buttonClass("secondary")} mt-4`}>
        Try again
      </button>
    </div>
  );
}
