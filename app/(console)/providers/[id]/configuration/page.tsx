import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { ConfigEditor } from "@/components/config/config-editor";
import { EffectiveConfigCard } from "@/components/config/effective-config-card";
import { ModelPicker } from "@/components/config/model-picker";
import { VersionHistory } from "@/components/config/version-history";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getConfigProvider, listConfigModels } from "@/lib/config/queries";

export const metadata: Metadata = { title: "Configuration" };

export default async function ConfigurationPage({ params, searchParams }: PageProps<"/providers/[id]/configuration">) {
  const actor = await requirePageActor("providers:read");
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const [provider, models] = await Promise.all([getConfigProvider(id), listConfigModels(id)]);
  if (!provider) notFound();
  const requested = typeof query.model === "string" && query.model !== "" ? query.model : null;
  const model = requested ? models.find((candidate) => candidate.id === requested) : null;
  if (requested && !model) notFound();

  const target = { providerId: provider.id, providerKind: provider.kind, modelId: model?.id ?? null };
  const archived = provider.archivedAt !== null;
  const editable = can(actor.role, "providers:write") && !archived;
  const levelName = model ? `${model.displayName} (${model.modelId})` : "All models of this provider";
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/providers/${provider.id}`} className="font-medium text-indigo-600 hover:underline">
          ← {provider.name}
        </Link>
      </p>
      <PageHeader
        title={model ? `Configuration: ${model.displayName}` : `Configuration: ${provider.name}`}
        description="Request parameters, rate limits and a monthly budget. A model's own values override the provider's field by field; empty fields inherit."
      />
      <div className="space-y-6">
        <ModelPicker providerId={provider.id} models={models} selected={model?.id ?? null} />
        {archived ? (
          <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">
            This provider is archived: its configuration is shown read-only until it is restored.
          </p>
        ) : !editable ? (
          <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">
            Read-only: your role can view the configuration but not change it.
          </p>
        ) : null}
        <div className={editable ? "grid gap-6 lg:grid-cols-2" : "max-w-2xl"}>
          <Card title="In force">
            <Suspense fallback={<Skeleton className="h-64" />}>
              <EffectiveConfigCard providerId={provider.id} modelId={model?.id ?? null} />
            </Suspense>
          </Card>
          {editable ? (
            <Card title={`Edit: ${levelName}`}>
              <Suspense fallback={<Skeleton className="h-96" />}>
                <ConfigEditor target={target} />
              </Suspense>
            </Card>
          ) : null}
        </div>
        <Card title={`Version history: ${levelName}`}>
          <Suspense fallback={<Skeleton className="h-48" />}>
            <VersionHistory target={target} canRollBack={editable} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
