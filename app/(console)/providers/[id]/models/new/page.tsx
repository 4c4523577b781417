import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { CreateModelForm } from "@/components/providers/model-form";
import { WriteOnlyNotice } from "@/components/providers/write-only-notice";
import { can } from "@/lib/auth/roles";
import { currentActor } from "@/lib/auth/session";
import { getProvider } from "@/lib/providers/queries";

export const metadata: Metadata = { title: "Add model" };

export default async function NewModelPage({ params }: PageProps<"/providers/[id]/models/new">) {
  const { id } = await params;
  const [actor, provider] = await Promise.all([currentActor(), getProvider(id)]);
  if (!provider) notFound();
  const writable = can(actor?.role, "providers:write") && !provider.archivedAt;
  return (
    <>
      <PageHeader title="Add model" description={`To ${provider.name}`} />
      {writable ? <CreateModelForm providerId={provider.id} /> : <WriteOnlyNotice backHref={`/providers/${provider.id}`} what="add models to active providers" />}
    </>
  );
}
