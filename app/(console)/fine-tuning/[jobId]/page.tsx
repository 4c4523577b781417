import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import Link from "@/components/ui/link";
import { Badge, Card, PageHeader, Skeleton } from "@/components/ui/card";
import { AutoRefresh } from "@/components/fine-tuning/auto-refresh";
import { CancelJobButton } from "@/components/fine-tuning/cancel-job-button";
import { CheckpointsCard } from "@/components/fine-tuning/checkpoints-card";
import { LossChart } from "@/components/fine-tuning/loss-chart";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { formatCost } from "@/lib/calls/outcome";
import { lossSeries } from "@/lib/fine-tuning/loss-series";
import { FINISHED_STATUSES, STATUS_LABEL } from "@/lib/fine-tuning/provider-status";
import { getJob } from "@/lib/fine-tuning/queries";
import { jobIdSchema } from "@/lib/fine-tuning/schemas";

export const metadata: Metadata = { title: "Fine-tuning job" };
export const dynamic = "force-dynamic";

const when = (date: Date | null) => (date ? date.toISOString().slice(0, 19).replace("T", " ") + " UTC" : "—");

export default async function FineTuneJobPage({ params }: { params: Promise<{ jobId: string }> }) {
  const actor = await requirePageActor("fine-tuning:read");
  const parsed = jobIdSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const job = await getJob(parsed.data.jobId);
  if (!job) notFound();
  const live = !FINISHED_STATUSES.includes(job.status);
  const points = lossSeries(job.events);
  const canWrite = can(actor.role, "fine-tuning:write");
  return (
    <>
      {live ? <AutoRefresh /> : null}
      <PageHeader
        title={`Fine-tuning: ${job.baseModelName}${job.suffix ? ` · ${job.suffix}` : ""}`}
        description={
          <>
            {job.providerName} · provider job <span className="font-mono">{job.providerJobId ?? "—"}</span> ·{" "}
            <Link href="/fine-tuning" className="text-indigo-700 hover:underline">
              all jobs
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Status" actions={live && canWrite ? <CancelJobButton jobId={job.id} /> : undefined}>
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-500">Status</dt>
              <dd data-testid="fine-tune-status">
                <Badge
                  tone={
                    job.status === "SUCCEEDED"
                      ? "green"
                      : job.status === "FAILED"
                        ? "red"
                        : job.status === "CANCELLED"
                          ? "amber"
                          : "indigo"
                  }
                >
                  {STATUS_LABEL[job.status]}
                </Badge>
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Created / finished</dt>
              <dd>
                {when(job.createdAt)} / {when(job.finishedAt)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Last polled</dt>
              <dd>{when(job.lastPolledAt)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Hyperparameters</dt>
              <dd>
                epochs {job.epochs ?? "auto"}, learning-rate multiplier {job.learningRateMultiplier ?? "auto"}, batch
                size {job.batchSize ?? "auto"}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Training file</dt>
              <dd>
                {job.trainingFile.fileName} ({job.trainingFile.tokenCount.toLocaleString("en-US")} tokens)
                {job.validationFile ? `; validation: ${job.validationFile.fileName}` : ""}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Estimated / recorded training cost</dt>
              <dd>
                {formatCost(job.estimatedCost)} / {job.cost === undefined ? "—" : formatCost(job.cost)}
                {job.trainedTokens !== null ? ` (${job.trainedTokens.toLocaleString("en-US")} trained tokens)` : ""}
              </dd>
            </div>
            <div className="sm:col-span-3">
              <dt className="text-slate-500">Fine-tuned model</dt>
              <dd>
                {job.resultModel ? (
                  <>
                    <Link href={`/providers/${job.providerId}`} className="font-mono text-indigo-700 hover:underline">
                      {job.resultModel.modelId}
                    </Link>{" "}
                    — callable as{" "}
                    <span className="font-mono">{`${job.providerSlug ?? "provider"}/${job.resultModel.modelId}`}</span>;{" "}
                    {job.resultModel.priced
                      ? "priced from the base model's fine-tuned price."
                      : "unpriced until an admin enters its price on the provider page."}
                  </>
                ) : (
                  (job.fineTunedModel ?? "—")
                )}
              </dd>
            </div>
            {job.error ? (
              <div className="sm:col-span-3">
                <dt className="text-slate-500">Error</dt>
                <dd className="text-red-700">{job.error}</dd>
              </div>
            ) : null}
          </dl>
        </Card>
        <Card title="Training loss">
          {points.length ? (
            <LossChart points={points} />
          ) : (
            <p className="text-sm text-slate-600">No metrics reported yet.</p>
          )}
        </Card>
        {job.status === "SUCCEEDED" && job.providerJobId ? (
          <Suspense fallback={<Skeleton className="h-24" />}>
            <CheckpointsCard providerId={job.providerId} providerJobId={job.providerJobId} />
          </Suspense>
        ) : null}
        <Card title="Provider events">
          {job.events.length === 0 ? (
            <p className="text-sm text-slate-600">No events yet.</p>
          ) : (
            <ol className="space-y-1 text-sm" data-testid="fine-tune-events">
              {job.events.map((event) => (
                <li key={event.id} className={event.level === "error" ? "text-red-700" : "text-slate-700"}>
                  <span className="font-mono text-xs text-slate-500">{when(event.createdAt)}</span> {event.message}
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}
