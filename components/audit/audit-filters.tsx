import { requirePageActor } from "@/lib/auth/session";
import { listAuditActions } from "@/lib/audit/queries";
import type { AuditFilters as Filters } from "@/lib/audit/schemas";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";

export async function AuditFilters({ filters }: { filters: Filters }) {
  await requirePageActor("audit:read");
  const actions = await listAuditActions();
  // A filter for an action that no longer occurs still shows as selected.
  const options = filters.action && !actions.includes(filters.action) ? [filters.action, ...actions] : actions;
  const { actor, action, target, from, to } = filters;
  return <AuditFilterForm values={{ actor, action, target, from, to }} actions={options} />;
}
