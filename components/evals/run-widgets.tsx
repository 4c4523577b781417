import { cache } from "react";
import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import { QualityCostChart } from "@/components/evals/quality-cost-chart";
import { qualityCostPoints } from "@/lib/charts/quality-cost";
import { formatCost } from "@/lib/calls/outcome";
import { formatMs } from "@/lib/charts/percentiles";
import { compareRuns } from "@/lib/evals/compare";
import { getRun, listRuns, type RunDetail } from "@/lib/evals/queries";
import { describeScorer } from "@/lib/evals/scorer-config";
import { runTotalCost } from "@/lib/evals/summary";
import { roundToCents } from "@/lib/usage/money";

// The run page's widgets, each an async server component (the page wraps them in Suspense); the
// run is read once per request.
export const runOf = cache(getRun);

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)} %`);
const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
const td = "px-3 py-2 align-top";

export async function RunSummary({ runId }: { runId: string }) {
  const run = (await runOf(runId))!;
  return (
    <div className="space-y-2">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="run-summary">
        <thead>
          <tr>
            <th className={th}>Target</th>
            <th className={th}>Accuracy</th>
            <th className={th}>Mean score</th>
            <th className={th}>p50</th>
            <th className={th}>p95</th>
            <th className={th}>Total cost</th>
            <th className={th}>Cost per correct</th>
            <th className={th}>Failed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {run.summary.map((target) => (
            <tr key={target.targetId}>
              <td className={td}>{target.label}</td>
              <td className={td}>
                {percent(target.accuracy)}{" "}
                <span className="text-xs text-slate-500">
                  ({target.correct}/{target.finished})
                </span>
              </td>
              <td className={td}>{target.meanScore === null ? "—" : target.meanScore.toFixed(3)}</td>
              <td className={td}>{formatMs(target.p50Ms === null ? null : Math.round(target.p50Ms))}</td>
              <td className={td}>{formatMs(target.p95Ms === null ? null : Math.round(target.p95Ms))}</td>
              <td className={td}>
                ${roundToCents(target.totalCost)}
                {target.unpriced ? <span className="text-xs text-amber-700"> + {target.unpriced} unpriced</span> : null}
              </td>
              <td className={td}>{target.costPerCorrect === null ? "—" : formatCost(target.costPerCorrect)}</td>
              <td className={td}>{target.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">
        Correct = passed by the first scorer ({run.scorers[0] ? describeScorer(run.scorers[0].config) : "none"}). Run
        total ${roundToCents(runTotalCost(run.summary))} (answers and judge calls, recorded as EVAL usage)
        {run.estimatedCost !== null ? `; estimated $${roundToCents(run.estimatedCost)} before it started` : ""}.
      </p>
    </div>
  );
}

export async function RunQualityChart({ runId }: { runId: string }) {
  const run = (await runOf(runId))!;
  const { points, omitted } = qualityCostPoints(run.summary);
  return (
    <div className="space-y-2">
      {points.length ? (
        <QualityCostChart points={points} />
      ) : (
        <p className="text-sm text-slate-600">Nothing to plot yet.</p>
      )}
      <table className="text-sm" data-testid="quality-cost-table">
        <tbody>
          {points.map((point) => (
            <tr key={point.id}>
              <td className="pr-4">{point.label}</td>
              <td className="pr-4">{point.accuracy} %</td>
              <td>{point.costLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {omitted.length ? (
        <p className="text-xs text-slate-500">Not plotted (nothing finished or unpriced): {omitted.join(", ")}.</p>
      ) : null}
    </div>
  );
}

function Verdict({ passed }: { passed: boolean | null | undefined }) {
  if (passed === undefined || passed === null) return <Badge>—</Badge>;
  return passed ? <Badge tone="green">pass</Badge> : <Badge tone="red">fail</Badge>;
}

/** Every case with the targets' answers side by side. */
export const CASES_PER_PAGE = 100;

export async function RunCaseTable({ runId, page }: { runId: string; page: number }) {
  const run = (await runOf(runId))!;
  const primary = run.scorers[0]?.id;
  const byCase = new Map<number, RunDetail["rows"]>();
  for (const row of run.rows) byCase.set(row.position, [...(byCase.get(row.position) ?? []), row]);
  const pages = Math.max(1, Math.ceil(byCase.size / CASES_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = [...byCase.entries()].slice((current - 1) * CASES_PER_PAGE, current * CASES_PER_PAGE);
  return (
    <div className="space-y-2 overflow-x-auto">
      {pages > 1 ? (
        <nav aria-label="Case pages" className="flex items-center gap-3 text-sm">
          {current > 1 ? (
            <Link href={`/evals/runs/${runId}?page=${current - 1}`} className="text-indigo-700 hover:underline">
              Previous
            </Link>
          ) : null}
          <span>
            Page {current} of {pages} (every case is in the CSV export)
          </span>
          {current < pages ? (
            <Link href={`/evals/runs/${runId}?page=${current + 1}`} className="text-indigo-700 hover:underline">
              Next
            </Link>
          ) : null}
        </nav>
      ) : null}
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="case-table">
        <thead>
          <tr>
            <th className={th}>#</th>
            <th className={th}>Input</th>
            <th className={th}>Expected</th>
            {run.targets.map((target) => (
              <th key={target.id} className={th}>
                {target.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {shown.map(([position, rows]) => (
            <tr key={position}>
              <td className={td}>{position + 1}</td>
              <td className={`${td} max-w-xs whitespace-pre-wrap break-words`}>{rows[0]!.input.slice(0, 500)}</td>
              <td className={`${td} whitespace-pre-wrap break-words`}>{rows[0]!.expected.slice(0, 300)}</td>
              {run.targets.map((target) => {
                const row = rows.find((item) => item.targetId === target.id);
                if (!row) return <td key={target.id} className={td} />;
                const verdict = row.scores.find((score) => score.scorerId === primary);
                return (
                  <td key={target.id} className={`${td} max-w-xs`}>
                    <div className="mb-1 flex items-center gap-2">
                      {row.status === "DONE" ? (
                        <Verdict passed={verdict?.passed} />
                      ) : (
                        <Badge tone={row.status === "FAILED" ? "red" : "slate"}>{row.status.toLowerCase()}</Badge>
                      )}
                      <span className="text-xs text-slate-500">
                        {formatMs(row.latencyMs)} · {row.cost === null ? "unpriced" : formatCost(row.cost)}
                      </span>
                    </div>
                    <div className="whitespace-pre-wrap break-words">
                      {row.status === "FAILED" ? row.errorMessage : row.output.slice(0, 1_000)}
                    </div>
                    {row.scores
                      .filter((score) => score.reasoning && score.scorerId !== primary)
                      .map((score) => (
                        <p key={score.scorerId} className="mt-1 text-xs text-slate-500">
                          {score.reasoning.slice(0, 300)}
                        </p>
                      ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** This run against another: which cases got better or worse by the first scorer. */
export async function RunComparison({ runId, otherId }: { runId: string; otherId: string | null }) {
  const [run, runs] = await Promise.all([runOf(runId), listRuns(100)]);
  const others = runs.filter((row) => row.id !== runId);
  const other = otherId ? await runOf(otherId) : null;
  const verdicts = (detail: RunDetail) => {
    const primary = detail.scorers[0]?.id;
    const label = new Map(detail.targets.map((target) => [target.id, target.label]));
    return detail.rows.map((row) => ({
      caseKey: row.caseKey,
      targetLabel: label.get(row.targetId) ?? "",
      input: row.input,
      passed: row.status === "DONE" ? (row.scores.find((score) => score.scorerId === primary)?.passed ?? null) : false,
    }));
  };
  const compared = run && other ? compareRuns(verdicts(other), verdicts(run)) : null;
  return (
    <div className="space-y-3">
      <form method="get" className="flex items-end gap-2">
        <label className="text-sm">
          <span className="block font-medium text-slate-700">Compare with an earlier run</span>
          <select
            name="compare"
            defaultValue={otherId ?? ""}
            className="mt-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            <option value="">Choose a run…</option>
            {others.map((row) => (
              <option key={row.id} value={row.id}>
                {row.name} ({row.createdAt.toISOString().slice(0, 16).replace("T", " ")})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-300">
          Compare
        </button>
      </form>
      {otherId && !other ? <p className="text-sm text-red-700">That run was not found.</p> : null}
      {compared ? (
        <>
          <p className="text-sm" data-testid="comparison-summary">
            {compared.matched} cases matched: <strong className="text-emerald-700">{compared.better} better</strong>,{" "}
            <strong className="text-red-700">{compared.worse} worse</strong>, {compared.same} the same (against{" "}
            <Link href={`/evals/runs/${other!.id}`} className="underline">
              {other!.name}
            </Link>
            ).
          </p>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead>
              <tr>
                <th className={th}>Change</th>
                <th className={th}>Target</th>
                <th className={th}>Input</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {compared.rows
                .filter((row) => row.change !== "same")
                .map((row) => (
                  <tr key={`${row.caseKey}-${row.targetLabel}`}>
                    <td className={td}>
                      {row.change === "better" ? <Badge tone="green">better</Badge> : <Badge tone="red">worse</Badge>}
                    </td>
                    <td className={td}>{row.targetLabel}</td>
                    <td className={`${td} max-w-md truncate`}>{row.input.slice(0, 200)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
