import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { RouteEditor } from "@/components/routes/route-editor";
import { requirePageActor } from "@/lib/auth/session";
import { NEW_ROUTE_STATE } from "@/lib/routes/editor-state";
import { routeTargetOptions } from "@/lib/routes/queries";

export const metadata: Metadata = { title: "New route" };

export default async function NewRoutePage() {
  await requirePageActor("gateway:write");
  const options = (await routeTargetOptions()).map((option) => ({
    value: `${option.providerId}:${option.modelId}`,
    label: `${option.providerName} / ${option.apiModelId} (${option.providerSlug}/${option.apiModelId})`,
  }));
  return (
    <>
      <PageHeader
        title="New route"
        description={
          <Link href="/gateway/routes" className="font-medium text-indigo-600 hover:underline">
            All routes
          </Link>
        }
      />
      <Card title="Route">
        {options.length === 0 ? (
          <p className="text-sm text-slate-600">
            No enabled models of enabled providers yet: a route needs at least one to point at.
          </p>
        ) : (
          <RouteEditor mode="create" options={options} initial={NEW_ROUTE_STATE} />
        )}
      </Card>
    </>
  );
}
