import { Badge } from "@/components/ui/card";
import { ROLE_LABEL, type RoleName } from "@/lib/auth/roles";

export function RoleBadge({ role }: { role: RoleName }) {
  return <Badge tone={role === "ADMIN" ? "indigo" : role === "FINANCE" ? "amber" : "slate"}>{ROLE_LABEL[role]}</Badge>;
}

export function StatusBadge({ disabled }: { disabled: boolean }) {
  return disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>;
}
