import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { EnabledBadge } from "@/components/providers/provider-status-badge";
import { CurrentPriceCard } from "@/components/providers/current-price-card";
import { ModelActions } from "@/components/providers/model-actions";
import { EditModelForm } from "@/components/providers/model-form";
import { ModelFacts } from "@/components/providers/model-facts";
import { PriceForm } from "@/components/providers/price-form";
import { PriceHistory } from "@/components/providers/price-history";
import { RepriceButton } from "@/components/usage/reprice-button";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getModel, getProvider } from "@/lib/providers/queries";

export const metadata: Metadata = { title: "Model" };

export default async function ModelPage({ params }: PageProps<"/providers/[id]/models/[modelId]">) {
  const actor = await requirePageActor("providers:read");
  const { id, modelId } = await params;
  const now = new Date();
  const [provider, model] = await Promise.all([getProvider(id), getModel(id, modelId, now)]);
  if (!provider || !model) notFound();
  const active = !provider.archivedAt;
  const canEdit = can(actor.role, "providers:write") && active;
  const canPrice = can(actor.role, "prices:write") && active;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/providers/${provider.id}`} className="font-medium text-indigo-600 hover:underline">
          ← {provider.name}
        </Link>
      </p>
      <PageHeader
        title={model.displayName}
        description={
          <span className="inline-flex items-center gap-2">
            <code className="text-xs">{model.modelId}</code>
            <EnabledBadge enabled={model.enabled} />
          </span>
        }
        actions={
          canEdit ? (
            <ModelActions
              model={{
                providerId: provider.id,
                id: model.id,
                displayName: model.displayName,
                enabled: model.enabled,
                priceCount: model.prices.length,
              }}
            />
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <CurrentPriceCard model={model} now={now} />
        <Card title="Details" className="lg:col-span-2">
          {canEdit ? (
            <EditModelForm
              providerId={provider.id}
              model={{
                id: model.id,
                modelId: model.modelId,
                displayName: model.displayName,
                type: model.type,
                domain: model.domain ?? "",
                baseModel: model.baseModel ?? "",
                contextWindow: model.contextWindow ? String(model.contextWindow) : "",
                maxOutputTokens: model.maxOutputTokens ? String(model.maxOutputTokens) : "",
              }}
            />
          ) : (
            <ModelFacts model={model} />
          )}
        </Card>
        <Card title={`Price history (${model.prices.length})`} className="lg:col-span-3">
          <PriceHistory prices={model.prices} now={now} />
        </Card>
        {canPrice ? (
          <Card title="Change the price" className="lg:col-span-3">
            <p className="mb-4 text-sm text-slate-600">
              A new price adds a row with its own effective date; earlier prices stay as they were, so past spend keeps
              its price.
            </p>
            <PriceForm providerId={provider.id} id={model.id} />
            <div className="mt-6 border-t border-slate-100 pt-4">
              <p className="mb-2 text-sm text-slate-600">
                Adding a price prices this model&apos;s unpriced usage automatically. Recompute after editing an older
                price history by hand.
              </p>
              <RepriceButton modelId={model.id} />
            </div>
          </Card>
        ) : null}
      </div>
    </>
  );
}
