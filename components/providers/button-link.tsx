import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button-styles";

export function ButtonLink({
  href,
  variant = "primary",
  children,
}: {
  href: string;
  variant?: "primary" | "secondary";
  children: ReactNode;
}) {
  return (
    <Link href={href} className={buttonClass(variant)}>
      {children}
    </Link>
  );
}
