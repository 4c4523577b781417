import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { FlaggedProvidersCard } from "@/components/health-checks/flagged-providers-card";
import { HealthSettingsForm } from "@/components/health-checks/health-settings-form";
import { RecentRuns } from "@/components/health-checks/recent-runs";
import { TestRunPanel } from "@/components/health-checks/test-run-panel";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getTestRunProgress, latestRunId } from "@/lib/health-checks/queries";
import { getTestCallSettings } from "@/lib/health-checks/settings";
import { testRunIdSchema } from "@/lib/test-calls/schemas";

export const metadata: Metadata = { title: "Health checks" };

async function RunSection({ runId, canRun }: { runId: string | null; canRun: boolean }) {
  await requirePageActor("providers:read");
  const id = runId ?? (await latestRunId());
  const progress = id ? await getTestRunProgress(id) : null;
  if (runId && !progress) notFound();
  return <TestRunPanel key={progress?.run.id ?? "none"} initial={progress} canRun={canRun} />;
}

async function ScheduleSection({ canEdit }: { canEdit: boolean }) {
  await requirePageActor("providers:read");
  const settings = await getTestCallSettings();
  return (
    <Card title="Scheduled health check">
      {canEdit ? (
        <HealthSettingsForm
          intervalMinutes={settings.healthCheckIntervalMinutes}
          failureThreshold={settings.failureThreshold}
        />
      ) : (
        <p className="text-sm text-slate-700">
          {settings.healthCheckIntervalMinutes ? `Runs every ${settings.healthCheckIntervalMinutes} minutes.` : "Off."}{" "}
          Providers are flagged after {settings.failureThreshold} failed checks in a row.
        </p>
      )}
    </Card>
  );
}

export default async function HealthChecksPage({ searchParams }: PageProps<"/health-checks">) {
  const actor = await requirePageActor("providers:read");
  const requested = (await searchParams).run;
  const parsed = typeof requested === "string" ? testRunIdSchema.safeParse({ runId: requested }) : null;
  if (parsed && !parsed.success) notFound();
  const runId = parsed?.success ? parsed.data.runId : null;
  return (
    <>
      <PageHeader
        title="Health checks"
        description="Test every provider with a tiny prompt, see latency, first-token time, tokens and cost, and schedule it."
      />
      <Suspense fallback={null}>
        <FlaggedProvidersCard />
      </Suspense>
      <div className="grid gap-6 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <Suspense fallback={<Skeleton className="h-64" />}>
            <RunSection runId={runId} canRun={can(actor.role, "providers:write")} />
          </Suspense>
        </div>
        <div className="space-y-6">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <ScheduleSection canEdit={can(actor.role, "settings:write")} />
          </Suspense>
          <Suspense fallback={<Skeleton className="h-40" />}>
            <RecentRuns selectedId={runId} />
          </Suspense>
        </div>
      </div>
    </>
  );
}
