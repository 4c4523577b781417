"use client";

import { useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { startTestAll } from "@/app/(console)/health-checks/actions";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { RunSummaryTable } from "@/components/health-checks/run-summary-table";
import type { TestRunProgressDto } from "@/lib/health-checks/queries";

const POLL_MS = 500;

/**
 * "Test all" and the live view of a run: polls GET /api/test-runs/:id every 500 ms while the run
 * is live (any instance can answer: progress is in PostgreSQL), then refreshes the page's lists.
 */
export function TestRunPanel({ initial, canRun }: { initial: TestRunProgressDto | null; canRun: boolean }) {
  const router = useRouter();
  const [state, action] = useActionState(startTestAll, undefined);
  const [progress, setProgress] = useState(initial);
  const startedRunId = state?.ok ? state.data?.runId : undefined;
  const runId = startedRunId ?? progress?.run.id;
  // Live from the moment a start returns a new run id until a poll reports it finished.
  const live = (startedRunId !== undefined && startedRunId !== progress?.run.id) || progress?.run.status === "RUNNING";

  useEffect(() => {
    if (!runId || !live) return;
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(`/api/test-runs/${runId}`, { cache: "no-store" });
        if (!response.ok || stopped) return;
        const next = (await response.json()) as TestRunProgressDto;
        setProgress({ run: next.run, results: next.results });
        if (next.run.status !== "RUNNING") router.refresh();
      } catch {
        // A missed poll is retried on the next tick.
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [runId, live, router]);

  const run = progress?.run;
  const percent = run && run.total > 0 ? Math.round((run.completed / run.total) * 100) : 0;
  return (
    <Card
      title="Test all providers"
      actions={
        canRun ? (
          <form action={action}>
            <SubmitButton pendingLabel="Starting…" disabled={live}>
              {live ? "Running…" : "Test all"}
            </SubmitButton>
          </form>
        ) : null
      }
    >
      <p className="mb-3 text-sm text-slate-600">
        Sends the tiny test prompt through every enabled provider&apos;s primary key, four at a time, and records each
        call as test usage.
      </p>
      {state && !state.ok ? <FormMessage state={state} /> : null}
      {run ? (
        <div className="space-y-4">
          <div>
            <p className="mb-1 flex justify-between text-sm" data-testid="run-progress">
              <span>
                {run.trigger === "SCHEDULED" ? "Scheduled check" : "Manual run"} ·{" "}
                {run.status === "RUNNING" ? "running" : run.status === "INTERRUPTED" ? "interrupted" : "finished"}
              </span>
              <span className="tabular-nums">
                {run.completed} / {run.total} done{run.failed ? `, ${run.failed} failed` : ""}
              </span>
            </p>
            <div
              className="h-2 overflow-hidden rounded bg-slate-200"
              role="progressbar"
              aria-label="Run progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent}%` }} />
            </div>
          </div>
          <RunSummaryTable results={progress.results} />
        </div>
      ) : (
        <p className="text-sm text-slate-500">No run yet.</p>
      )}
    </Card>
  );
}
