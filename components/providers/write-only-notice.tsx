import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

/** Shown instead of a form the person cannot use: a read-only role, or an archived provider. */
export function WriteOnlyNotice({ backHref, children }: { backHref: string; children: ReactNode }) {
  return (
    <Card>
      <p className="text-sm text-slate-700">{children}</p>
      <Link href={backHref} className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
        ← Back
      </Link>
    </Card>
  );
}

export const READ_ONLY_ROLE = "Your role can read providers, models and prices but not change them: only admins can.";
export const ARCHIVED = "This provider is archived and read-only. Restore it on its page first.";
