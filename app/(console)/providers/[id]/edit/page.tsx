import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { EditProviderForm } from "@/components/providers/provider-form";
import { ARCHIVED, READ_ONLY_ROLE, WriteOnlyNotice } from "@/components/providers/write-only-notice";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getProvider } from "@/lib/providers/queries";
import { formatTags } from "@/lib/providers/tags";

export const metadata: Metadata = { title: "Edit provider" };

export default async function EditProviderPage({ params }: PageProps<"/providers/[id]/edit">) {
  const actor = await requirePageActor("providers:read");
  const provider = await getProvider((await params).id);
  if (!provider) notFound();
  const back = `/providers/${provider.id}`;
  return (
    <>
      <PageHeader title={`Edit ${provider.name}`} />
      {!can(actor.role, "providers:write") ? (
        <WriteOnlyNotice backHref={back}>{READ_ONLY_ROLE}</WriteOnlyNotice>
      ) : provider.archivedAt ? (
        <WriteOnlyNotice backHref={back}>{ARCHIVED}</WriteOnlyNotice>
      ) : (
        <EditProviderForm provider={{ ...provider, tags: formatTags(provider.tags) }} />
      )}
    </>
  );
}
