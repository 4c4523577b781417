import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import { listDatasets, listRuns } from "@/lib/evals/queries";
import { roundToCents } from "@/lib/usage/money";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
const td = "px-3 py-2";
const TONE = { DRAFT: "slate", RUNNING: "indigo", CANCELLED: "amber", DONE: "green" } as const;

export async function DatasetList() {
  const datasets = await listDatasets();
  if (datasets.length === 0) return <p className="text-sm text-slate-600">No datasets yet.</p>;
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          <th className={th}>Dataset</th>
          <th className={th}>Version</th>
          <th className={th}>Cases</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {datasets.map((dataset) => (
          <tr key={dataset.id}>
            <td className={td}>
              <Link href={`/evals/datasets/${dataset.id}`} className="font-medium text-indigo-700 hover:underline">
                {dataset.name}
              </Link>
              {dataset.description ? <p className="text-xs text-slate-500">{dataset.description}</p> : null}
            </td>
            <td className={td}>v{dataset.version}</td>
            <td className={td}>{dataset.cases}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export async function RunList() {
  const runs = await listRuns();
  if (runs.length === 0) return <p className="text-sm text-slate-600">No runs yet.</p>;
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          <th className={th}>Run</th>
          <th className={th}>Status</th>
          <th className={th}>Progress</th>
          <th className={th}>Targets</th>
          <th className={th}>Estimate</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {runs.map((run) => (
          <tr key={run.id}>
            <td className={td}>
              <Link href={`/evals/runs/${run.id}`} className="font-medium text-indigo-700 hover:underline">
                {run.name}
              </Link>
              <p className="text-xs text-slate-500">
                {run.datasetVersion.dataset.name} v{run.datasetVersion.version} ·{" "}
                {run.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
              </p>
            </td>
            <td className={td}>
              <Badge tone={TONE[run.status]}>{run.status.toLowerCase()}</Badge>
            </td>
            <td className={td}>
              {run.progress.done + run.progress.failed}/{run.progress.total}
            </td>
            <td className={`${td} text-xs`}>{run.targets.map((target) => target.label).join(", ")}</td>
            <td className={td}>{run.estimatedCost === null ? "unpriced" : `$${roundToCents(run.estimatedCost)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
