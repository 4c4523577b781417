import Link from "next/link";
import type { ReactNode } from "react";

// buttonClass lives in a client module (components/ui/button.tsx), which server components
// cannot call; these links mirror its primary and secondary looks.
const LOOK = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500",
  secondary: "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
} as const;

export function ButtonLink({ href, variant = "primary", children }: { href: string; variant?: keyof typeof LOOK; children: ReactNode }) {
  return (
    <Link href={href} className={`inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-semibold shadow-sm transition-colors ${LOOK[variant]}`}>
      {children}
    </Link>
  );
}
