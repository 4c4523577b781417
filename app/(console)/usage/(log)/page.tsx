import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { UsageLogFilterForm } from "@/components/usage/usage-log-filter-form";
import { UsageLogTable } from "@/components/usage/usage-log-table";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { parseUsageLogParams, usageLogSearch } from "@/lib/usage/usage-log-params";

export const metadata: Metadata = { title: "Usage log" };

export default async function UsageLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("usage:read");
  const params = parseUsageLogParams(await searchParams);
  const exportHref = `/api/usage/records?${usageLogSearch(params)}`;
  return (
    <>
      <PageHeader
        title="Usage log"
        description="Every recorded request: ingestion API, test calls and the gateway (with its gateway key and team)."
        actions={
          <div className="flex items-center gap-4 text-sm">
            <a className="text-indigo-700 hover:underline" href={exportHref} download>
              Download raw records CSV
            </a>
            {can(actor.role, "settings:write") ? (
              <Link className="text-indigo-700 hover:underline" href="/usage/retention">
                Retention
              </Link>
            ) : null}
          </div>
        }
      />
      <Suspense fallback={<Skeleton className="h-20" />}>
        <UsageLogFilterForm params={params} />
      </Suspense>
      <Suspense
        key={usageLogSearch(
          params,
          params.cursor
            ? { direction: params.cursor.direction, value: `${params.cursor.at.at}|${params.cursor.at.id}` }
            : undefined,
        )}
        fallback={<Skeleton className="h-96" />}
      >
        <UsageLogTable params={params} />
      </Suspense>
    </>
  );
}
