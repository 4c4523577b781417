import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { auditHref, parseAuditSearchParams } from "@/lib/audit/schemas";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageActor("audit:read");
  const { filters, ignored } = parseAuditSearchParams(await searchParams);
  // Keys make the widgets start fresh (form defaults, skeleton) whenever the filters change.
  const key = auditHref(filters);
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, newest first. Times are UTC." />
      {ignored.length > 0 ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          Ignored an invalid {ignored.join(", ")} in the address.
        </p>
      ) : null}
      <div className="space-y-6">
        <Card title="Filters">
          <Suspense key={`filters-${key}`} fallback={<Skeleton className="h-16" />}>
            <AuditFilters filters={filters} />
          </Suspense>
        </Card>
        <Card title="Events">
          <Suspense key={`events-${key}`} fallback={<Skeleton className="h-64" />}>
            <AuditTable filters={filters} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
