import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { ModelsTable } from "@/components/providers/models-table";
import { ProviderActions } from "@/components/providers/provider-actions";
import { ProviderKeysSlot } from "@/components/providers/provider-keys-slot";
import { ProviderOverviewCard } from "@/components/providers/provider-overview-card";
import { ProviderStatusBadge } from "@/components/providers/provider-status-badge";
import { ArchivedBanner } from "@/components/providers/archived-banner";
import { ButtonLink } from "@/components/providers/button-link";
import { ImportModelsPanel } from "@/components/test-calls/import-models-panel";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { planProviderDelete } from "@/lib/providers/provider-references";
import { getProvider } from "@/lib/providers/queries";

// Metadata renders apart from the page (and streams on its own): it checks the session too.
export async function generateMetadata({ params }: PageProps<"/providers/[id]">): Promise<Metadata> {
  await requirePageActor("providers:read");
  const provider = await getProvider((await params).id);
  return { title: provider?.name ?? "Provider" };
}

export default async function ProviderPage({ params }: PageProps<"/providers/[id]">) {
  const actor = await requirePageActor("providers:read");
  const provider = await getProvider((await params).id);
  if (!provider) notFound();
  const archived = provider.archivedAt !== null;
  // Archived providers are frozen: only restoring them is offered.
  const canWrite = can(actor.role, "providers:write");
  const canEdit = canWrite && !archived;
  const plan = canEdit ? await planProviderDelete(provider.id) : { outcome: "refuse" as const, message: "" };
  return (
    <>
      <PageHeader
        title={provider.name}
        description={<ProviderStatusBadge provider={provider} />}
        actions={
          <>
            <ButtonLink href={`/providers/${provider.id}/configuration`} variant="secondary">
              Configuration
            </ButtonLink>
            {canWrite ? (
              <ProviderActions
                provider={{ id: provider.id, name: provider.name, enabled: provider.enabled, archived }}
                plan={plan}
              />
            ) : null}
          </>
        }
      />
      <div className="space-y-6">
        {archived ? <ArchivedBanner archivedAt={provider.archivedAt!} canWrite={canWrite} /> : null}
        <ProviderOverviewCard provider={provider} />
        <Suspense fallback={<Skeleton className="h-64" />}>
          <ModelsTable providerId={provider.id} canWrite={canEdit} />
        </Suspense>
        {canEdit ? <ImportModelsPanel providerId={provider.id} /> : null}
        <Suspense fallback={<Skeleton className="h-32" />}>
          <ProviderKeysSlot providerId={provider.id} canWrite={canEdit} />
        </Suspense>
      </div>
    </>
  );
}
