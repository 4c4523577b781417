import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { NewJobForm } from "@/components/fine-tuning/new-job-form";
import { UploadForm } from "@/components/fine-tuning/upload-form";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { formatCost } from "@/lib/calls/outcome";
import { STATUS_LABEL } from "@/lib/fine-tuning/provider-status";
import { baseModelOptions, fineTuningProviders, listJobs, recentFiles } from "@/lib/fine-tuning/queries";

export const metadata: Metadata = { title: "Fine-tuning" };
export const dynamic = "force-dynamic";

const TONE = {
  VALIDATING: "slate",
  QUEUED: "slate",
  RUNNING: "indigo",
  SUCCEEDED: "green",
  FAILED: "red",
  CANCELLED: "amber",
} as const;

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(2)} MB`;

export default async function FineTuningPage() {
  const actor = await requirePageActor("fine-tuning:read");
  const canWrite = can(actor.role, "fine-tuning:write");
  const [providers, jobs, files] = await Promise.all([fineTuningProviders(), listJobs(), recentFiles()]);
  const supported = providers.filter((p) => p.supported);
  const unsupported = providers.filter((p) => !p.supported);
  const models = canWrite ? await baseModelOptions(supported.map((p) => p.id)) : [];
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const options = supported.map((p) => ({ id: p.id, label: `${p.name} (${p.kindLabel})` }));
  return (
    <>
      <PageHeader
        title="Fine-tuning"
        description="Train a provider's model on your own examples, follow the job, and put the fine-tuned model into service. The console keeps no copy of training data: only each file's name, size, counts, SHA-256 and the provider's file id."
      />
      {unsupported.length ? (
        <p className="mb-4 text-sm text-slate-600">
          Not supported for fine-tuning here: {unsupported.map((p) => `${p.name} (${p.kindLabel})`).join(", ")}. Only
          providers speaking OpenAI&apos;s fine-tuning API (OpenAI, OpenAI-compatible) are.
        </p>
      ) : null}
      <div className="space-y-6">
        <Card title="Jobs">
          {jobs.length === 0 ? (
            <p className="text-sm text-slate-600">No fine-tuning jobs yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th className="py-2 pr-4">Created</th>
                    <th className="py-2 pr-4">Provider</th>
                    <th className="py-2 pr-4">Base model</th>
                    <th className="py-2 pr-4">Status</th>
                    <th className="py-2 pr-4">Fine-tuned model</th>
                    <th className="py-2 pr-4">Estimate</th>
                    <th className="py-2 pr-4">Training cost</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {jobs.map((job) => (
                    <tr key={job.id}>
                      <td className="py-2 pr-4">
                        <Link href={`/fine-tuning/${job.id}`} className="text-indigo-700 hover:underline">
                          {job.createdAt.toISOString().slice(0, 16).replace("T", " ")}
                        </Link>
                      </td>
                      <td className="py-2 pr-4">{job.providerName}</td>
                      <td className="py-2 pr-4 font-mono text-xs">
                        {job.baseModelName}
                        {job.suffix ? ` · ${job.suffix}` : ""}
                      </td>
                      <td className="py-2 pr-4">
                        <Badge tone={TONE[job.status]}>{STATUS_LABEL[job.status]}</Badge>
                      </td>
                      <td className="py-2 pr-4 font-mono text-xs">{job.fineTunedModel ?? "—"}</td>
                      <td className="py-2 pr-4">{formatCost(job.estimatedCost)}</td>
                      <td className="py-2 pr-4">{job.cost === undefined ? "—" : formatCost(job.cost)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        {canWrite ? (
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Upload a file">
              {options.length ? (
                <UploadForm providers={options} />
              ) : (
                <p className="text-sm text-slate-600">Add an OpenAI or OpenAI-compatible provider first.</p>
              )}
            </Card>
            <Card title="New job">
              {options.length ? (
                <NewJobForm
                  providers={options}
                  models={models}
                  files={files.map((file) => ({
                    id: file.id,
                    providerId: file.providerId,
                    purpose: file.purpose,
                    tokenCount: file.tokenCount,
                    label: `${file.fileName} (${file.tokenCount.toLocaleString("en-US")} tokens, ${file.createdAt.toISOString().slice(0, 10)})`,
                  }))}
                />
              ) : (
                <p className="text-sm text-slate-600">Add an OpenAI or OpenAI-compatible provider first.</p>
              )}
            </Card>
          </div>
        ) : null}
        <Card title="Files">
          {files.length === 0 ? (
            <p className="text-sm text-slate-600">No files uploaded yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th className="py-2 pr-4">File</th>
                    <th className="py-2 pr-4">Provider</th>
                    <th className="py-2 pr-4">Purpose</th>
                    <th className="py-2 pr-4">Size</th>
                    <th className="py-2 pr-4">Lines</th>
                    <th className="py-2 pr-4">Tokens</th>
                    <th className="py-2 pr-4">SHA-256</th>
                    <th className="py-2 pr-4">Provider file</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {files.map((file) => (
                    <tr key={file.id}>
                      <td className="py-2 pr-4">{file.fileName}</td>
                      <td className="py-2 pr-4">{providerName.get(file.providerId) ?? "—"}</td>
                      <td className="py-2 pr-4">{file.purpose === "TRAINING" ? "Training" : "Validation"}</td>
                      <td className="py-2 pr-4">{mb(file.bytes)}</td>
                      <td className="py-2 pr-4">{file.lineCount.toLocaleString("en-US")}</td>
                      <td className="py-2 pr-4">{file.tokenCount.toLocaleString("en-US")}</td>
                      <td className="py-2 pr-4 font-mono text-xs" title={file.sha256}>
                        {file.sha256.slice(0, 12)}…
                      </td>
                      <td className="py-2 pr-4 font-mono text-xs">{file.providerFileId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
