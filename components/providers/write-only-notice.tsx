import Link from "next/link";
import { Card } from "@/components/ui/card";

/** Shown instead of a form to roles that may read providers but not change them. */
export function WriteOnlyNotice({ backHref, what }: { backHref: string; what: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-700">Only admins can {what}. Your role can read providers, models and prices.</p>
      <Link href={backHref} className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
        ← Back
      </Link>
    </Card>
  );
}
