import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { CreateModelForm } from "@/components/providers/model-form";
import { ARCHIVED, READ_ONLY_ROLE, WriteOnlyNotice } from "@/components/providers/write-only-notice";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getProvider } from "@/lib/providers/queries";

export const metadata: Metadata = { title: "Add model" };

export default async function NewModelPage({ params }: PageProps<"/providers/[id]/models/new">) {
  const actor = await requirePageActor("providers:read");
  const provider = await getProvider((await params).id);
  if (!provider) notFound();
  const notice = !can(actor.role, "providers:write") ? READ_ONLY_ROLE : provider.archivedAt ? ARCHIVED : null;
  return (
    <>
      <PageHeader title="Add model" description={`To ${provider.name}`} />
      {notice ? (
        <WriteOnlyNotice backHref={`/providers/${provider.id}`}>{notice}</WriteOnlyNotice>
      ) : (
        <CreateModelForm providerId={provider.id} />
      )}
    </>
  );
}
