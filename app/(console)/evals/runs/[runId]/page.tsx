import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Badge, Card, PageHeader, Skeleton } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { buttonClass } from "@/components/ui/button-styles";
import { RunControls, RunPoller } from "@/components/evals/run-controls";
import { RunProgressBar } from "@/components/evals/run-progress";
import { RunCaseTable, RunComparison, RunQualityChart, RunSummary, runOf } from "@/components/evals/run-widgets";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { runIdSchema } from "@/lib/evals/schemas";
import { describeScorer } from "@/lib/evals/scorer-config";
import { roundToCents } from "@/lib/usage/money";

export const metadata: Metadata = { title: "Evaluation run" };

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ runId: string }>;
  searchParams: Promise<{ compare?: string | string[]; page?: string | string[] }>;
}) {
  const actor = await requirePageActor("evals:read");
  const parsed = runIdSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const run = await runOf(parsed.data.runId);
  if (!run) notFound();
  const search = await searchParams;
  const compare = search.compare;
  const page = Math.trunc(Number(search.page)) || 1;
  const otherId = typeof compare === "string" && runIdSchema.safeParse({ runId: compare }).success ? compare : null;
  return (
    <>
      <RunPoller live={run.status === "RUNNING"} />
      <PageHeader
        title={`Run: ${run.name}`}
        description={
          <>
            <Link
              href={`/evals/datasets/${run.datasetVersion.dataset.id}?version=${run.datasetVersion.version}`}
              className="underline"
            >
              {run.datasetVersion.dataset.name} v{run.datasetVersion.version}
            </Link>{" "}
            × {run.targets.map((target) => target.label).join(", ")} · scorers:{" "}
            {run.scorers.map((scorer) => describeScorer(scorer.config)).join("; ")} · concurrency {run.concurrency}
          </>
        }
        actions={
          <a href={`/api/evals/runs/${run.id}/export`} className={buttonClass("secondary")}>
            Export CSV
          </a>
        }
      />
      <div className="space-y-6">
        <Card
          title={
            <span className="flex items-center gap-2">
              Progress{" "}
              <Badge tone={run.status === "DONE" ? "green" : run.status === "CANCELLED" ? "amber" : "indigo"}>
                {run.status.toLowerCase()}
              </Badge>
            </span>
          }
          actions={can(actor.role, "evals:write") ? <RunControls runId={run.id} status={run.status} /> : null}
        >
          <div className="space-y-2">
            <RunProgressBar progress={run.progress} />
            <p className="text-sm text-slate-700" data-testid="run-estimate">
              Estimated cost:{" "}
              {run.estimatedCost === null
                ? "not available (a model has no price)"
                : `$${roundToCents(run.estimatedCost)} (prompts by tokenizer, every answer at ${run.maxOutputTokens} tokens, judge calls not included)`}
            </p>
          </div>
        </Card>
        <div className="grid gap-6 lg:grid-cols-3">
          <Card title="Per target" className="lg:col-span-2">
            <Suspense fallback={<Skeleton className="h-32" />}>
              <RunSummary runId={run.id} />
            </Suspense>
          </Card>
          <Card title="Quality against cost">
            <Suspense fallback={<Skeleton className="h-72" />}>
              <RunQualityChart runId={run.id} />
            </Suspense>
          </Card>
        </div>
        <Card title="Cases">
          <Suspense fallback={<Skeleton className="h-96" />}>
            <RunCaseTable runId={run.id} page={page} />
          </Suspense>
        </Card>
        <Card title="Compare runs">
          <Suspense fallback={<Skeleton className="h-24" />}>
            <RunComparison runId={run.id} otherId={otherId} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
