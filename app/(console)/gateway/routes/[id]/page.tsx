import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Badge, Card, PageHeader, Skeleton } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { RouteCooldowns } from "@/components/routes/route-cooldowns";
import { RouteEditor } from "@/components/routes/route-editor";
import { RouteHistory } from "@/components/routes/route-history";
import { RouteLatency } from "@/components/routes/route-latency";
import { RouteSettingsSummary } from "@/components/routes/route-settings-summary";
import { RouteStateControls } from "@/components/routes/route-state-controls";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { editorStateOf, NEW_ROUTE_STATE } from "@/lib/routes/editor-state";
import { getRoute, loadTargetLabeler, routeTargetOptions } from "@/lib/routes/queries";

export const metadata: Metadata = { title: "Route" };

// No loading.tsx in this segment: the route is read before anything streams, so an unknown id
// answers a real 404. The slower widgets stream in their own Suspense boundaries.
export default async function RoutePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("gateway:read");
  const { id } = await params;
  const route = await getRoute(id);
  if (!route) notFound();
  const canWrite = can(actor.role, "gateway:write") && !route.archivedAt;
  const [label, options] = await Promise.all([loadTargetLabeler(), canWrite ? routeTargetOptions() : []]);
  const current = route.current;
  return (
    <>
      <PageHeader
        title={route.name}
        description={
          <>
            {route.archivedAt ? (
              <Badge>archived</Badge>
            ) : route.enabled ? (
              <Badge tone="green">enabled</Badge>
            ) : (
              <Badge tone="amber">disabled</Badge>
            )}{" "}
            {route.description ? `${route.description} · ` : ""}
            <Link href="/gateway/routes" className="font-medium text-indigo-600 hover:underline">
              All routes
            </Link>
          </>
        }
        actions={canWrite ? <RouteStateControls routeId={route.id} enabled={route.enabled} name={route.name} /> : null}
      />
      <div className="space-y-6">
        <Card title={current ? `Settings in force (version ${current.version})` : "Settings"}>
          {current ? (
            <RouteSettingsSummary settings={current.settings} label={label} />
          ) : (
            <p className="text-sm text-slate-600">This route has no version yet.</p>
          )}
        </Card>
        {current ? (
          <Card title="Targets' cooldown state (shared by every gateway instance)">
            <Suspense fallback={<Skeleton className="h-24" />}>
              <RouteCooldowns settings={current.settings} />
            </Suspense>
          </Card>
        ) : null}
        {current ? (
          <Card title="Targets compared, last 24 hours (UTC)">
            <Suspense fallback={<Skeleton className="h-72" />}>
              <RouteLatency routeId={route.id} settings={current.settings} />
            </Suspense>
          </Card>
        ) : null}
        {canWrite ? (
          <Card title="Edit (saves a new version)">
            <RouteEditor
              mode="edit"
              routeId={route.id}
              baseVersion={current?.version ?? 0}
              options={options.map((option) => ({
                value: `${option.providerId}:${option.modelId}`,
                label: `${option.providerName} / ${option.apiModelId} (${option.providerSlug}/${option.apiModelId})`,
              }))}
              initial={current ? editorStateOf(current.settings) : NEW_ROUTE_STATE}
            />
          </Card>
        ) : null}
        <Card title="Version history">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <RouteHistory routeId={route.id} currentVersion={current?.version ?? 0} canWrite={canWrite} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
