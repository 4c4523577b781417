import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { ButtonLink } from "@/components/providers/button-link";
import { ProviderList } from "@/components/providers/provider-list";
import { FlaggedProvidersCard } from "@/components/health-checks/flagged-providers-card";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage({ searchParams }: PageProps<"/providers">) {
  const actor = await requirePageActor("providers:read");
  const canWrite = can(actor.role, "providers:write");
  const includeArchived = (await searchParams).archived === "1";
  return (
    <>
      <PageHeader
        title="Providers"
        description="The LLM providers this organisation uses, their models and prices."
        actions={canWrite ? <ButtonLink href="/providers/new">Add provider</ButtonLink> : null}
      />
      <div className="mb-3 flex justify-end">
        <Link
          href={includeArchived ? "/providers" : "/providers?archived=1"}
          className="text-sm font-medium text-indigo-600 hover:underline"
        >
          {includeArchived ? "Hide archived providers" : "Show archived providers"}
        </Link>
      </div>
      <Suspense fallback={null}>
        <FlaggedProvidersCard />
      </Suspense>
      <Suspense key={String(includeArchived)} fallback={<Skeleton className="h-48" />}>
        <ProviderList includeArchived={includeArchived} canWrite={canWrite} />
      </Suspense>
    </>
  );
}
