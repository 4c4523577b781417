import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { CreateProviderForm } from "@/components/providers/provider-form";
import { READ_ONLY_ROLE, WriteOnlyNotice } from "@/components/providers/write-only-notice";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Add provider" };

export default async function NewProviderPage() {
  const actor = await requirePageActor("providers:read");
  return (
    <>
      <PageHeader
        title="Add provider"
        description="Register an LLM provider. Keys are added on its page once it exists."
      />
      {can(actor.role, "providers:write") ? (
        <CreateProviderForm />
      ) : (
        <WriteOnlyNotice backHref="/providers">Only admins can add providers. {READ_ONLY_ROLE}</WriteOnlyNotice>
      )}
    </>
  );
}
