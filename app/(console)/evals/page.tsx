import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { CreateDatasetForm } from "@/components/evals/dataset-forms";
import { DatasetList, RunList } from "@/components/evals/eval-lists";
import { NewRunForm } from "@/components/evals/new-run-form";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { runFormOptions } from "@/lib/evals/queries";

export const metadata: Metadata = { title: "Evaluations" };

async function NewRun() {
  return <NewRunForm options={await runFormOptions()} />;
}

export default async function EvaluationsPage() {
  const actor = await requirePageActor("evals:read");
  const canWrite = can(actor.role, "evals:write");
  return (
    <>
      <PageHeader
        title="Evaluations"
        description="Run your own test cases against several models or routes, score the answers, and compare quality, latency and cost. Every call is recorded as EVAL usage and counts against budgets."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title="Runs">
            <Suspense fallback={<Skeleton className="h-40" />}>
              <RunList />
            </Suspense>
          </Card>
          <Card title="Datasets">
            <Suspense fallback={<Skeleton className="h-24" />}>
              <DatasetList />
            </Suspense>
          </Card>
        </div>
        {canWrite ? (
          <div className="space-y-6">
            <Card title="New run">
              <Suspense fallback={<Skeleton className="h-64" />}>
                <NewRun />
              </Suspense>
            </Card>
            <Card title="Import a dataset">
              <CreateDatasetForm />
            </Card>
          </div>
        ) : null}
      </div>
    </>
  );
}
