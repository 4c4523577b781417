import { Badge } from "@/components/ui/card";
import { ROLE_LABEL, type RoleName } from "@/lib/auth/roles";
import type { SignInMethod } from "@/lib/users/queries";

export function RoleBadge({ role }: { role: RoleName }) {
  return <Badge tone={role === "ADMIN" ? "indigo" : role === "FINANCE" ? "amber" : "slate"}>{ROLE_LABEL[role]}</Badge>;
}

export function StatusBadge({ disabled }: { disabled: boolean }) {
  return disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>;
}

const SIGN_IN_LABEL: Record<SignInMethod, string> = { password: "Password", sso: "SSO", both: "Password and SSO" };

export function SignInMethodBadge({ method }: { method: SignInMethod }) {
  return <Badge tone={method === "password" ? "slate" : "indigo"}>{SIGN_IN_LABEL[method]}</Badge>;
}
